// Chats and their transcripts (AI SDK UIMessages).
import { notFound, type Chat, type UIMessage } from '@runyard/contract'
import { loadChatMessages } from '@runyard/engine'
import type { PrismaClient } from '@runyard/db'
import { inScope, type Caller } from './caller.ts'
import { toChat } from './sessions.ts'

export class ChatService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(caller: Caller, chatId: string): Promise<Chat> {
    const chat = await this.prisma.chat.findFirst({ where: { id: chatId, accountId: caller.accountId } })
    if (!chat || !inScope(caller, chat.sessionId)) throw notFound('chat_not_found', `Chat ${chatId} was not found`)
    return toChat(chat)
  }

  async messages(caller: Caller, chatId: string): Promise<UIMessage[]> {
    await this.get(caller, chatId)
    return loadChatMessages(this.prisma, chatId)
  }

  /** The chat a session's turns go to when a surface has no chat concept (CometCode): its first. */
  async primaryChat(caller: Caller, sessionId: string): Promise<Chat> {
    const chat = inScope(caller, sessionId) ? await this.prisma.chat.findFirst({ where: { sessionId, accountId: caller.accountId }, orderBy: { createdAt: 'asc' } }) : null
    if (!chat) throw notFound('chat_not_found', `Session ${sessionId} has no chat`)
    return toChat(chat)
  }
}

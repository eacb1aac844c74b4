// Chats and their transcripts (AI SDK UIMessages).
import { notFound, type Chat, type UIMessage } from '@runyard/contract'
import { loadChatMessages } from '@runyard/engine'
import type { PrismaClient } from '@runyard/db'
import { toChat } from './sessions.ts'

export class ChatService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(accountId: string, chatId: string): Promise<Chat> {
    const chat = await this.prisma.chat.findFirst({ where: { id: chatId, accountId } })
    if (!chat) throw notFound('chat_not_found', `Chat ${chatId} was not found`)
    return toChat(chat)
  }

  async messages(accountId: string, chatId: string): Promise<UIMessage[]> {
    await this.get(accountId, chatId)
    return loadChatMessages(this.prisma, chatId)
  }

  /** The chat a session's turns go to when a surface has no chat concept (CometCode): its first. */
  async primaryChat(accountId: string, sessionId: string): Promise<Chat> {
    const chat = await this.prisma.chat.findFirst({ where: { sessionId, accountId }, orderBy: { createdAt: 'asc' } })
    if (!chat) throw notFound('chat_not_found', `Session ${sessionId} has no chat`)
    return toChat(chat)
  }

  async todos(accountId: string, chatId: string): Promise<unknown> {
    const chat = await this.prisma.chat.findFirst({ where: { id: chatId, accountId }, select: { todos: true } })
    if (!chat) throw notFound('chat_not_found', `Chat ${chatId} was not found`)
    return chat.todos
  }
}

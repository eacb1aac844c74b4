// Chats and their transcripts (AI SDK UIMessages).
import { notFound, type Chat, type UIMessage } from '@runyard/contract'
import { loadChatMessages } from '@runyard/engine'
import type { Chat as ChatRow, PrismaClient } from '@runyard/db'
import { inScope, type Caller } from './caller.ts'
import { toChat } from './sessions.ts'

/** The caller's chat named by its id or, failing that, by its client's id (in the caller's scope). */
export async function findChat(prisma: PrismaClient, caller: Caller, chatRef: string): Promise<ChatRow | null> {
  const chats = await prisma.chat.findMany({ where: { accountId: caller.accountId, OR: [{ id: chatRef }, { clientId: chatRef }] }, take: 2 })
  const chat = chats.find((c) => c.id === chatRef) ?? chats[0]
  return chat && inScope(caller, chat.sessionId) ? chat : null
}

export class ChatService {
  constructor(private readonly prisma: PrismaClient) {}

  /** A chat of the caller by its id or the id its client gave it (`ChatRef`); 404 otherwise. */
  async get(caller: Caller, chatRef: string): Promise<Chat> {
    const chat = await findChat(this.prisma, caller, chatRef)
    if (!chat) throw notFound('chat_not_found', `Chat ${chatRef} was not found`)
    return toChat(chat)
  }

  async messages(caller: Caller, chatRef: string): Promise<UIMessage[]> {
    return loadChatMessages(this.prisma, (await this.get(caller, chatRef)).id)
  }

  /** The chat a session's turns go to when a surface has no chat concept (CometCode): its first. */
  async primaryChat(caller: Caller, sessionId: string): Promise<Chat> {
    const chat = inScope(caller, sessionId) ? await this.prisma.chat.findFirst({ where: { sessionId, accountId: caller.accountId }, orderBy: { createdAt: 'asc' } }) : null
    if (!chat) throw notFound('chat_not_found', `Session ${sessionId} has no chat`)
    return toChat(chat)
  }
}

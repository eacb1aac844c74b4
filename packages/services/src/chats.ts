// Chats and their transcripts (AI SDK UIMessages).
import { ChatId, notFound, type Chat, type UIMessage } from '@runyard/contract'
import { loadChatMessages } from '@runyard/engine'
import type { Chat as ChatRow, PrismaClient } from '@runyard/db'
import { inScope, type Caller } from './caller.ts'
import { toChat } from './sessions.ts'

/** The caller's chat named by its id or, failing that, by its client's id (in the caller's scope). */
export async function findChat(prisma: PrismaClient, caller: Caller, chatRef: string): Promise<ChatRow | null> {
  const chats = await prisma.chat.findMany({
    where: { accountId: caller.accountId, OR: [{ id: chatRef }, { clientId: chatRef }] },
    take: 2,
  })
  const chat = chats.find((c) => c.id === chatRef) ?? chats[0]
  return chat && inScope(caller, chat.sessionId) ? chat : null
}

export class ChatService {
  constructor(private readonly prisma: PrismaClient) {}

  /** A chat of the caller by its id or the id its client gave it (`ChatRef`); 404 otherwise. */
  async get(caller: Caller, chatRef: string): Promise<Chat> {
    const chat = await this.find(caller, chatRef)
    if (!chat) throw notFound('chat_not_found', `Chat ${chatRef} was not found`)
    return chat
  }

  /**
   * The chat, or null when it is a chat the client named but has not started yet (a client id
   * not seen before: `useChat` asks to resume and load new chats too). An unknown `chat_…` id is 404.
   */
  async find(caller: Caller, chatRef: string): Promise<Chat | null> {
    const chat = await findChat(this.prisma, caller, chatRef)
    if (chat) return toChat(chat)
    if (ChatId.safeParse(chatRef).success) throw notFound('chat_not_found', `Chat ${chatRef} was not found`)
    return null
  }

  /** The transcript; empty for a client's chat not started yet. */
  async messages(caller: Caller, chatRef: string): Promise<UIMessage[]> {
    const chat = await this.find(caller, chatRef)
    return chat ? loadChatMessages(this.prisma, chat.id) : []
  }

  /** The chat a session's turns go to when a surface has no chat concept (CometCode): its first. */
  async primaryChat(caller: Caller, sessionId: string): Promise<Chat> {
    const chat = inScope(caller, sessionId)
      ? await this.prisma.chat.findFirst({
          where: { sessionId, accountId: caller.accountId },
          orderBy: { createdAt: 'asc' },
        })
      : null
    if (!chat) throw notFound('chat_not_found', `Session ${sessionId} has no chat`)
    return toChat(chat)
  }
}

// The chat transcript: AI SDK UIMessages, one row per message, in transcript order.
import type { UIMessage } from '@runyard/contract'
import type { Prisma, PrismaClient } from '@runyard/db'

type Client = PrismaClient | Prisma.TransactionClient

export async function loadChatMessages(prisma: Client, chatId: string): Promise<UIMessage[]> {
  const rows = await prisma.message.findMany({ where: { chatId }, orderBy: { position: 'asc' } })
  return rows.map((r) => ({
    id: r.id,
    role: r.role as UIMessage['role'],
    parts: r.parts as UIMessage['parts'],
    ...(r.metadata === null ? {} : { metadata: r.metadata }),
  }))
}

/** Upserts messages by id (ids are scoped to the chat); new ones are appended in array order. */
export async function saveChatMessages(prisma: PrismaClient, chatId: string, messages: UIMessage[], runId?: string): Promise<void> {
  if (!messages.length) return
  await prisma.$transaction(async (tx) => {
    const existing = await tx.message.findMany({ where: { chatId }, select: { id: true, position: true }, orderBy: { position: 'asc' } })
    const known = new Map(existing.map((m) => [m.id, m.position]))
    let next = existing.length ? existing[existing.length - 1]!.position + 1 : 0
    for (const m of messages) {
      const data = { role: m.role, parts: m.parts as Prisma.InputJsonValue, metadata: (m.metadata ?? undefined) as Prisma.InputJsonValue | undefined }
      if (known.has(m.id)) await tx.message.update({ where: { chatId_id: { chatId, id: m.id } }, data })
      else {
        await tx.message.create({ data: { id: m.id, chatId, position: next++, runId: runId ?? null, ...data } })
        known.set(m.id, next - 1)
      }
    }
    await tx.chat.update({ where: { id: chatId }, data: { updatedAt: new Date() } })
  })
}

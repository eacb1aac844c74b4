// Minimal rows for engine-level tests (surfaces create these through their own services).
import { newId } from '@runyard/contract'
import type { PrismaClient } from '@runyard/db'

export async function seedAccount(prisma: PrismaClient, name = 'test'): Promise<string> {
  const id = newId('account')
  await prisma.account.create({ data: { id, name } })
  return id
}

export async function seedChat(
  prisma: PrismaClient,
  accountId?: string,
): Promise<{ accountId: string; sessionId: string; chatId: string }> {
  const acct = accountId ?? (await seedAccount(prisma))
  const sessionId = newId('session')
  const chatId = newId('chat')
  // `select: { id }`: only the columns given are written and read back, so migration tests can
  // seed a database whose schema is older than the client's.
  await prisma.session.create({
    data: { id: sessionId, accountId: acct, sandboxType: 'none', modelId: 'scripted', providerId: 'scripted' },
    select: { id: true },
  })
  await prisma.chat.create({ data: { id: chatId, sessionId, accountId: acct }, select: { id: true } })
  return { accountId: acct, sessionId, chatId }
}

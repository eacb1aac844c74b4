import type { PrismaClient } from '@runyard/db'

/** The implicit account of `local` auth mode (CometCode's localhost model: no keys, one user). */
export const LOCAL_ACCOUNT_ID = 'acct_local'

export async function ensureLocalAccount(prisma: PrismaClient): Promise<string> {
  await prisma.account.upsert({ where: { id: LOCAL_ACCOUNT_ID }, create: { id: LOCAL_ACCOUNT_ID, name: 'local' }, update: {} })
  return LOCAL_ACCOUNT_ID
}

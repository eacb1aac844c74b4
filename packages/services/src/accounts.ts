// Accounts: the implicit local account, and the members of an organisation (an org key may act
// for its members by sending `accountId`). Members are managed by the org's own keys (create a
// new member account, list, remove) or by the operator's CLI (who may also add existing accounts:
// an org key must not be able to claim someone else's account and act for it).
import { AppError, forbidden, newId, notFound, type Account } from '@runyard/contract'
import type { Account as AccountRow, Db, PrismaClient } from '@runyard/db'
import type { Caller } from './caller.ts'

/** The implicit account of `local` auth mode (CometCode's localhost model: no keys, one user). */
export const LOCAL_ACCOUNT_ID = 'acct_local'

/**
 * Creates the local account when it is missing. Plain SQL on the pool, as anyKeyCreated: both run
 * at every start, before anything else needs Prisma, whose first query costs ~0.1–0.2 s of CPU
 * (its query compiler, a wasm module, compiles on first use) that would delay the server's start.
 */
export async function ensureLocalAccount(pool: Db['pool']): Promise<string> {
  await pool.query(`INSERT INTO "Account" ("id", "name") VALUES ($1, 'local') ON CONFLICT ("id") DO NOTHING`, [
    LOCAL_ACCOUNT_ID,
  ])
  return LOCAL_ACCOUNT_ID
}

export function toAccount(a: AccountRow): Account {
  return { id: a.id, name: a.name, kind: a.kind, orgId: a.orgId, createdAt: a.createdAt.toISOString() }
}

/** The org whose members the caller manages: an org key's own account; 403 for anything else. */
function orgOf(caller: Caller): string {
  if (!caller.orgId || caller.sessionId) throw forbidden('Only org API keys manage organisation members.')
  return caller.orgId
}

export class OrgMemberService {
  constructor(private readonly prisma: PrismaClient) {}

  async list(caller: Caller): Promise<Account[]> {
    const rows = await this.prisma.account.findMany({ where: { orgId: orgOf(caller) }, orderBy: { createdAt: 'asc' } })
    return rows.map(toAccount)
  }

  /** A new personal account, member of the caller's org. */
  async create(caller: Caller, name: string): Promise<Account> {
    const orgId = orgOf(caller)
    return toAccount(
      await this.prisma.account.create({ data: { id: newId('account'), name, kind: 'personal', orgId } }),
    )
  }

  /** Ends the membership (the account and its data stay; the org can no longer act for it). */
  async remove(caller: Caller, accountId: string): Promise<Account> {
    const orgId = orgOf(caller)
    const { count } = await this.prisma.account.updateMany({ where: { id: accountId, orgId }, data: { orgId: null } })
    if (!count) throw notFound('account_not_found', `Account ${accountId} is not a member of this organisation`)
    return toAccount(await this.prisma.account.findUniqueOrThrow({ where: { id: accountId } }))
  }
}

/** Operator actions (CLI): any account may be put into an org, or taken out. */
export async function setMembership(prisma: PrismaClient, accountId: string, orgId: string | null): Promise<Account> {
  if (orgId) {
    const org = await prisma.account.findUnique({ where: { id: orgId } })
    if (!org || org.kind !== 'org') throw new AppError('bad_request', 'bad_request', `${orgId} is not an org account`)
    if (orgId === accountId) throw new AppError('bad_request', 'bad_request', 'An org cannot be its own member')
  }
  const { count } = await prisma.account.updateMany({ where: { id: accountId }, data: { orgId } })
  if (!count) throw notFound('account_not_found', `Account ${accountId} was not found`)
  return toAccount(await prisma.account.findUniqueOrThrow({ where: { id: accountId } }))
}

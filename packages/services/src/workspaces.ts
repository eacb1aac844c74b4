// Registered workspaces: host folders an account works in. A folder belongs to the account that
// registered it: no other account may register it, a folder inside it or a folder containing it.
import path from 'node:path'
import { AppError, newId, notFound, type Workspace } from '@runyard/contract'
import type { Prisma, PrismaClient, Workspace as WorkspaceRow } from '@runyard/db'
import { realPathOf, type WorkspacePolicy } from './workspace-policy.ts'

type Client = PrismaClient | Prisma.TransactionClient

export function toWorkspace(w: WorkspaceRow): Workspace {
  return { id: w.id, accountId: w.accountId, path: w.path, name: w.name, createdAt: w.createdAt.toISOString() }
}

export async function findWorkspace(
  prisma: Client,
  accountId: string,
  ref: { id?: string; path?: string },
): Promise<WorkspaceRow | null> {
  if (ref.id) return prisma.workspace.findFirst({ where: { id: ref.id, accountId } })
  if (ref.path) {
    // Registered paths are real paths; a lookup by the path as given, or as it resolves now.
    const given = path.resolve(ref.path)
    const real = await realPathOf(given).catch(() => given)
    return prisma.workspace.findFirst({ where: { accountId, path: { in: [...new Set([given, real])] } } })
  }
  return null
}

/**
 * Finds the workspace, registering a path on first use (only session creation does this). A new
 * path must be allowed by the policy (`allowedPath`: what WorkspacePolicy.allowedPath returned,
 * called before the transaction, as it may read the database on a connection of its own) and
 * free of other accounts' folders; a known one is checked against the policy again (it may
 * predate it). Call inside a transaction: registrations take turns, so two accounts cannot claim
 * one folder at once.
 */
export async function resolveWorkspaceForCreate(
  tx: Prisma.TransactionClient,
  policy: WorkspacePolicy,
  accountId: string,
  ref: { id?: string; allowedPath?: string },
  param: string,
): Promise<WorkspaceRow | null> {
  if (!ref.id && !ref.allowedPath) return null
  if (ref.id) {
    const found = await findWorkspace(tx, accountId, { id: ref.id })
    if (!found) throw notFound('workspace_not_found', `Workspace ${ref.id} was not found`)
    const why = await policy.refusal(found.path, { registering: false })
    if (why)
      throw new AppError(
        'forbidden',
        'workspace_not_allowed',
        `Workspace ${found.id} (${found.path}) can no longer be used: ${why}`,
        { param },
      )
    return found
  }
  return registerFolder(tx, accountId, ref.allowedPath!, param)
}

/** Registers an allowed real path to the account (idempotent); 403 when another account's folder overlaps it. */
export async function registerFolder(
  tx: Prisma.TransactionClient,
  accountId: string,
  real: string,
  param: string,
): Promise<WorkspaceRow> {
  await assertNotForeign(tx, accountId, real, param)
  return tx.workspace.upsert({
    where: { accountId_path: { accountId, path: real } },
    create: { id: newId('workspace'), accountId, path: real, name: path.basename(real) || real },
    update: {},
  })
}

/** 403 when `real` is, contains or lies inside a folder another account registered. Takes the registration lock. */
async function assertNotForeign(
  tx: Prisma.TransactionClient,
  accountId: string,
  real: string,
  param: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('runyard:workspace-registration'))`
  const foreign = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Workspace" WHERE "accountId" <> ${accountId}
      AND (path = ${real} OR starts_with(${real}, path || '/') OR starts_with(path, ${real} || '/')) LIMIT 1`
  if (foreign.length)
    throw new AppError(
      'forbidden',
      'workspace_not_allowed',
      `${param} "${real}" belongs to another account's workspace (or overlaps one); choose another folder.`,
      { param },
    )
}

import path from 'node:path'
import { newId, notFound, type Workspace } from '@runyard/contract'
import type { Prisma, PrismaClient, Workspace as WorkspaceRow } from '@runyard/db'

type Client = PrismaClient | Prisma.TransactionClient

export function toWorkspace(w: WorkspaceRow): Workspace {
  return { id: w.id, accountId: w.accountId, path: w.path, name: w.name, createdAt: w.createdAt.toISOString() }
}

/** Normalised absolute path (no trailing slash, no `..`). */
export const normalizeWorkspacePath = (p: string) => path.resolve(p)

export async function findWorkspace(prisma: Client, accountId: string, ref: { id?: string; path?: string }): Promise<WorkspaceRow | null> {
  if (ref.id) return prisma.workspace.findFirst({ where: { id: ref.id, accountId } })
  if (ref.path) return prisma.workspace.findUnique({ where: { accountId_path: { accountId, path: normalizeWorkspacePath(ref.path) } } })
  return null
}

/** Finds the workspace, registering a path on first use (only session creation does this). */
export async function resolveWorkspaceForCreate(prisma: Client, accountId: string, ref: { id?: string; path?: string }): Promise<WorkspaceRow | null> {
  if (!ref.id && !ref.path) return null
  const found = await findWorkspace(prisma, accountId, ref)
  if (found) return found
  if (ref.id) throw notFound('workspace_not_found', `Workspace ${ref.id} was not found`)
  const p = normalizeWorkspacePath(ref.path!)
  return prisma.workspace.upsert({
    where: { accountId_path: { accountId, path: p } },
    create: { id: newId('workspace'), accountId, path: p, name: path.basename(p) || p },
    update: {},
  })
}

export async function listWorkspaces(prisma: Client, accountId: string): Promise<Workspace[]> {
  return (await prisma.workspace.findMany({ where: { accountId }, orderBy: { createdAt: 'desc' } })).map(toWorkspace)
}

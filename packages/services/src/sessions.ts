// Sessions: an agent environment (workspace or repo, sandbox, model) with its chats.
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  AppError,
  forbidden,
  isTerminalStatus,
  newId,
  notFound,
  type Chat,
  type CreateSessionInput,
  type Session,
} from '@runyard/contract'
import type {
  Chat as ChatRow,
  Prisma,
  PrismaClient,
  Session as SessionRow,
  Workspace as WorkspaceRow,
} from '@runyard/db'
import type { Engine } from '@runyard/engine'
import type { RuntimeInfo } from './catalog.ts'
import type { ServiceLogger } from './logger.ts'
import { withoutContextLine } from './context-line.ts'
import { assertAccountWide, inScope, type Caller } from './caller.ts'
import type { WorkspacePolicy } from './workspace-policy.ts'
import { findWorkspace, registerFolder, resolveWorkspaceForCreate } from './workspaces.ts'

/** A title from a first message: its text without a leading context line (Responses `x_context`). */
export const titleFrom = (text: string) => withoutContextLine(text).replace(/\s+/g, ' ').trim().slice(0, 80)

type SessionWithWorkspace = SessionRow & { workspace: WorkspaceRow | null }

/** A session's stored sandbox, as archiving releases it. */
type StoredSandbox = Pick<SessionRow, 'id' | 'sandboxType' | 'sandboxState'>

export function toSession(s: SessionWithWorkspace): Session {
  return {
    id: s.id,
    accountId: s.accountId,
    userId: s.accountId,
    title: s.title,
    workspaceId: s.workspaceId,
    workspacePath: s.workspace?.path ?? null,
    repoOwner: s.repoOwner,
    repoName: s.repoName,
    branch: s.branch,
    isNewBranch: s.isNewBranch,
    cloneUrl: s.cloneUrl,
    sandboxType: s.sandboxType,
    lifecycleState: s.lifecycleState,
    modelId: s.modelId,
    providerId: s.providerId,
    tokenUsage: {
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      cacheRead: s.cacheReadTokens,
      cacheWrite: s.cacheWriteTokens,
    },
    prNumber: s.prNumber,
    prStatus: s.prStatus,
    autoCommitPush: s.autoCommitPush,
    autoCommitPushOverride: s.autoCommitPushOverride,
    autoCreatePr: s.autoCreatePr,
    autoCreatePrOverride: s.autoCreatePrOverride,
    globalSkillRefs: s.globalSkillRefs,
    activeStreamId: s.activeStreamId,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  }
}

export function toChat(c: ChatRow): Chat {
  return {
    id: c.id,
    sessionId: c.sessionId,
    title: c.title,
    clientId: c.clientId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

export interface ListSessionsFilter {
  workspaceId?: string
  limit?: number
  /** The last session id of the previous page (ids sort by creation time). */
  cursor?: string
}

/** How long archive waits for the session's running runs to stop before releasing their sandbox. */
export const ARCHIVE_CANCEL_WAIT_MS = 10_000

/** Archived this long ago, a session's sandbox left unreleased is retried by the periodic sweep. */
export const LEFTOVER_SANDBOX_GRACE_MS = 60_000
/** How often each server process looks for archived sessions' leftover sandboxes. */
export const LEFTOVER_SANDBOX_SWEEP_MS = 60_000

/** Removes a session's server-managed workspace folder (`<dir>/<accountId>/<sessionId>`, or the older `<dir>/<sessionId>`). */
export async function removeManagedFolders(managedDir: string, accountId: string, sessionId: string): Promise<void> {
  for (const dir of [path.join(managedDir, accountId, sessionId), path.join(managedDir, sessionId)])
    await fs.rm(dir, { recursive: true, force: true })
}

export class SessionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly runtime: RuntimeInfo,
    private readonly engine: Engine,
    private readonly log: ServiceLogger,
    private readonly workspacePolicy: WorkspacePolicy,
    /** The server-managed workspaces folder, whose session folders `delete` removes. */
    private readonly managedDir?: string,
  ) {}

  /**
   * Creates the session (state `provisioning`) and its first chat in one transaction. A workspace
   * path or global skill folder the client names must be allowed (workspace-policy.ts) and not
   * another account's; `fields` names them as the caller's surface does, for error messages.
   */
  async create(
    caller: Caller,
    input: CreateSessionInput,
    fields: { workspacePath: string } = { workspacePath: 'workspacePath' },
  ): Promise<{ session: Session; chat: Chat }> {
    assertAccountWide(caller, 'create sessions')
    const { accountId } = caller
    const model = this.runtime.models.resolve(input.modelId, input.providerId)
    const sandboxType = input.sandboxType ?? this.runtime.defaultSandbox
    if (!this.runtime.availableSandboxes.includes(sandboxType) && sandboxType !== 'none') {
      throw new AppError(
        'bad_request',
        'bad_request',
        `Sandbox type "${sandboxType}" is not available on this server (available: ${this.runtime.availableSandboxes.join(', ') || 'none'}).`,
        { param: 'sandboxType' },
      )
    }
    // The policy's checks of the folders named come before the transaction: one may read the
    // database (a local `auto` server asks whether a key exists yet: AuthService.currentMode, on the
    // shared pool), and inside the transaction that needs a second connection while holding one;
    // with as many creates in flight as the pool has connections, none could go on.
    const workspacePath =
      !input.workspaceId && input.workspacePath
        ? await this.workspacePolicy.allowedPath(input.workspacePath, fields.workspacePath)
        : undefined
    const skillRefs = await this.allowedSkillRefs(input.globalSkillRefs ?? [])
    const work = async (t: Prisma.TransactionClient) => {
      const workspace = await resolveWorkspaceForCreate(
        t,
        this.workspacePolicy,
        accountId,
        { id: input.workspaceId, allowedPath: workspacePath },
        fields.workspacePath,
      )
      const globalSkillRefs: string[] = []
      for (const ref of skillRefs)
        globalSkillRefs.push(ref.host ? (await registerFolder(t, accountId, ref.path, ref.param)).path : ref.path)
      const session = await t.session.create({
        data: {
          id: newId('session'),
          accountId,
          workspaceId: workspace?.id ?? null,
          title: input.title ?? '',
          repoOwner: input.repoOwner ?? null,
          repoName: input.repoName ?? null,
          branch: input.branch ?? null,
          isNewBranch: input.isNewBranch ?? false,
          cloneUrl: input.cloneUrl ?? null,
          sandboxType,
          modelId: model.id,
          providerId: model.providerId,
          autoCommitPush: input.autoCommitPush ?? false,
          autoCreatePr: input.autoCreatePr ?? false,
          globalSkillRefs,
        },
        include: { workspace: true },
      })
      const chat = await t.chat.create({
        data: { id: newId('chat'), sessionId: session.id, accountId, title: input.title ?? '' },
      })
      return { session: toSession(session), chat: toChat(chat) }
    }
    return this.prisma.$transaction(work)
  }

  /**
   * Global skill folders: an absolute one is a host folder under the same rules as a workspace,
   * registered to the account like one (so no other account can later claim a folder around it
   * and write the skills this account's agent reads); a relative one is read inside the session's
   * workspace and may not climb out of it. Checked here, registered in the create's transaction.
   */
  private async allowedSkillRefs(refs: string[]): Promise<{ path: string; host: boolean; param: string }[]> {
    const out: { path: string; host: boolean; param: string }[] = []
    for (const [i, ref] of refs.entries()) {
      const param = `globalSkillRefs.${i}`
      if (ref.startsWith('/')) out.push({ path: await this.workspacePolicy.allowedPath(ref, param), host: true, param })
      else if (ref.split('/').includes('..')) {
        throw new AppError(
          'bad_request',
          'bad_request',
          `${param}: a relative skill folder is read inside the workspace and may not contain ".." segments.`,
          { param },
        )
      } else out.push({ path: ref, host: false, param })
    }
    return out
  }

  /**
   * A session of the caller. `foreign: 'forbidden'` answers 403 when it exists but belongs to
   * another account (the chat REST API); the default answers 404 (no existence leak). A run key's other
   * sessions are not found.
   */
  async get(caller: Caller, sessionId: string, opts: { foreign?: 'forbidden' | 'not_found' } = {}): Promise<Session> {
    const s = await this.prisma.session.findUnique({ where: { id: sessionId }, include: { workspace: true } })
    if (!s || (s.accountId === caller.accountId && !inScope(caller, s.id)))
      throw notFound('session_not_found', `Session ${sessionId} was not found`)
    if (s.accountId !== caller.accountId) {
      if (opts.foreign === 'forbidden') throw forbidden('This session belongs to another account.')
      throw notFound('session_not_found', `Session ${sessionId} was not found`)
    }
    return toSession(s)
  }

  async list(caller: Caller, filter: ListSessionsFilter = {}): Promise<Session[]> {
    return (await this.listPage(caller, filter)).sessions
  }

  /** A page of the caller's sessions, newest first; `nextCursor` continues after the page's last one. */
  async listPage(
    caller: Caller,
    filter: ListSessionsFilter = {},
  ): Promise<{ sessions: Session[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000)
    const id = {
      ...(caller.sessionId ? { equals: caller.sessionId } : {}),
      ...(filter.cursor ? { lt: filter.cursor } : {}),
    }
    const rows = await this.prisma.session.findMany({
      where: { accountId: caller.accountId, id, ...(filter.workspaceId ? { workspaceId: filter.workspaceId } : {}) },
      include: { workspace: true },
      orderBy: { id: 'desc' },
      take: limit + 1,
    })
    return {
      sessions: rows.slice(0, limit).map(toSession),
      nextCursor: rows.length > limit ? rows[limit - 1]!.id : null,
    }
  }

  /**
   * Sessions of one registered workspace (by id or absolute path), newest first. Never registers
   * a workspace: an unknown one is `workspace_not_found`.
   */
  async listByWorkspace(caller: Caller, ref: { id?: string; path?: string }): Promise<Session[]> {
    const workspace = await findWorkspace(this.prisma, caller.accountId, ref)
    if (!workspace) throw notFound('workspace_not_found', `Workspace ${ref.id ?? ref.path} was not found`)
    return this.list(caller, { workspaceId: workspace.id, limit: 1000 })
  }

  async chats(caller: Caller, sessionId: string): Promise<Chat[]> {
    await this.get(caller, sessionId)
    return (await this.prisma.chat.findMany({ where: { sessionId }, orderBy: { createdAt: 'asc' } })).map(toChat)
  }

  /**
   * Archives the session: no run can start on it any more (`session_archived`), its queued and
   * running runs are cancelled (waiting up to {@link ARCHIVE_CANCEL_WAIT_MS} for running ones to
   * stop), then its sandbox is released (E2B: killed) and the stored `sandboxState` cleared.
   *
   * A sandbox that cannot be released does not fail the archive — the session is archived and
   * its runs are cancelled either way: the failure is logged (error, with the session id) and the
   * `sandboxState` kept, so nothing forgets the sandbox; {@link releaseLeftoverSandboxes} and
   * archiving the session again retry the release. Idempotent: an archived session with nothing
   * left to release is returned as is.
   */
  async archive(caller: Caller, sessionId: string): Promise<Session> {
    assertAccountWide(caller, 'archive sessions')
    await this.get(caller, sessionId)
    const { runs } = await this.engine.archiveSession(caller.accountId, sessionId, { waitMs: ARCHIVE_CANCEL_WAIT_MS })
    const unstopped = runs.filter((r) => !isTerminalStatus(r.status)).map((r) => r.id)
    if (unstopped.length)
      this.log.warn(
        { sessionId, runIds: unstopped },
        'archive: runs did not stop in time; releasing the sandbox under them',
      )
    await this.releaseSandbox(sessionId)
    return this.get(caller, sessionId)
  }

  /**
   * Deletes the session for good: archived first (its runs cancelled, its sandbox released), then
   * its chats, messages, runs and their events are deleted, and its server-managed workspace
   * folder removed. A folder the client registered is the client's and stays. Idempotent only up
   * to the first success: a deleted session is not found afterwards.
   */
  async delete(caller: Caller, sessionId: string): Promise<void> {
    const archived = await this.archive(caller, sessionId)
    // Of concurrent deletes, one deletes; the others find nothing, as any later request would.
    const { count } = await this.prisma.session.deleteMany({ where: { id: sessionId, accountId: caller.accountId } })
    if (!count) throw notFound('session_not_found', `Session ${sessionId} was not found`)
    if (!archived.workspaceId && this.managedDir)
      await removeManagedFolders(this.managedDir, caller.accountId, sessionId)
  }

  /**
   * Retries what archiving left behind: archived sessions that still store a sandbox (its release
   * failed, or a run racing the archive stored a newer one) and have no queued or running run.
   * Only sessions archived at least `graceMs` ago, so that an archive in progress releases its own,
   * and only sandbox types this server can release (a provider that is not configured here would
   * fail every time). A random `batch` of them per call, so that sessions whose release keeps
   * failing do not keep the others waiting. Returns how many sandboxes were released. Every
   * `runyard start` process runs this periodically (runtime.ts); two releasing one sandbox at
   * once is harmless (release is idempotent).
   */
  async releaseLeftoverSandboxes(opts: { graceMs?: number; batch?: number } = {}): Promise<number> {
    const { graceMs = LEFTOVER_SANDBOX_GRACE_MS, batch = 20 } = opts
    const types = this.runtime.availableSandboxes
    const rows = await this.prisma.$queryRaw<StoredSandbox[]>`
      SELECT s.id, s."sandboxType", s."sandboxState" FROM "Session" s
      WHERE s."lifecycleState" = 'archived' AND s."sandboxState" IS NOT NULL AND s."sandboxType"::text = ANY(${types}::text[])
        AND s."updatedAt" < now() - ${graceMs} * interval '1 millisecond'
        AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."sessionId" = s.id AND r.status IN ('queued', 'running'))
      ORDER BY random() LIMIT ${batch}`
    let released = 0
    for (const row of rows) if (await this.releaseStoredSandbox(row)) released++
    return released
  }

  private async releaseSandbox(sessionId: string): Promise<void> {
    const row = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { id: true, sandboxType: true, sandboxState: true },
    })
    if (row) await this.releaseStoredSandbox(row)
  }

  /** Releases the sandbox a session stores; false when there was none or it could not (logged, state kept). */
  private async releaseStoredSandbox({ id: sessionId, sandboxType, sandboxState }: StoredSandbox): Promise<boolean> {
    if (sandboxState === null) return false
    try {
      await this.runtime.sandboxes.release(sandboxType, sandboxState)
    } catch (err) {
      this.log.error(
        { err, sessionId, sandboxType },
        'archived session: could not release its sandbox; its state is kept and the release is retried',
      )
      return false
    }
    // Only the state that was released (a run racing the archive may have stored a newer one);
    // the session's visible fields do not change, so neither does updatedAt.
    await this.prisma
      .$executeRaw`UPDATE "Session" SET "sandboxState" = NULL WHERE id = ${sessionId} AND "sandboxState" = ${JSON.stringify(sandboxState)}::jsonb`
    return true
  }

  /** Sets the title from the first message when the session has none yet. */
  async titleFromFirstMessage(sessionId: string, text: string): Promise<void> {
    const title = titleFrom(text)
    if (!title) return
    await this.prisma.session.updateMany({ where: { id: sessionId, title: '' }, data: { title } })
    await this.prisma.chat.updateMany({ where: { sessionId, title: '' }, data: { title } })
  }
}

// Opens the session's sandbox for one run: the provider matching `session.sandboxType`, the
// workspace (the session's registered directory for local/host — checked again against the
// server's workspace rules, as they may have changed since it was registered — else a
// per-session folder `<workspacesRoot>/<accountId>/<sessionId>`; E2B keeps its own in-VM
// workspace), the run's API key in the env.
// When no sandbox can be opened the run still goes on: the model can answer, and every tool
// that needs the sandbox fails with the reason and what to configure.
import fs from 'node:fs'
import path from 'node:path'
import type { RunContext, SandboxHibernator } from '@runyard/contract'
import {
  noSandboxMessage,
  SandboxError,
  SandboxUnavailableError,
  type Sandbox,
  type SandboxKind,
  type SandboxProvider,
} from '../sandbox/index.ts'

export type SandboxProviders = Partial<Record<SandboxKind, SandboxProvider>>

export interface RunSandbox {
  sandbox: Sandbox | null
  /** Why there is no sandbox (what to configure), when `sandbox` is null. */
  problem?: string
  /** The sandbox, or a SandboxUnavailableError carrying `problem`. */
  require(): Sandbox
  close(): Promise<void>
}

const HOW_TO: Record<SandboxKind, string> = {
  local: 'install bubblewrap (`apt-get install bubblewrap`) and start Runyard with RUNYARD_SANDBOX=local or auto',
  e2b: 'set E2B_API_KEY (and RUNYARD_SANDBOX=e2b or auto)',
  host: 'start Runyard with RUNYARD_SANDBOX=host (UNSAFE: no isolation)',
}

function unavailable(problem: string): RunSandbox {
  return {
    sandbox: null,
    problem,
    require: () => {
      throw new SandboxUnavailableError(problem)
    },
    close: async () => {},
  }
}

/** A RunSandbox as the open left it: what it recorded, and whether the session was archived by then. */
type OpenedRunSandbox = RunSandbox & { sandboxState?: unknown; archived?: boolean }

/** Why a registered host folder may not be used as a workspace now, or null (the server's rules). */
export type WorkspaceGuard = (realPath: string) => Promise<string | null>

export interface OpenRunSandboxOptions {
  providers: SandboxProviders
  workspacesRoot: string
  workspaceGuard?: WorkspaceGuard
  warn(message: string, err?: unknown): void
}

/**
 * The host directory a local/host session works in: its registered workspace, else its managed
 * folder under the account's own folder. Sessions from before managed folders were per account
 * keep their old `<workspacesRoot>/<sessionId>` folder when it exists.
 */
export function sessionWorkspaceDir(ctx: Pick<RunContext, 'session'>, workspacesRoot: string): string {
  if (ctx.session.workspacePath) return ctx.session.workspacePath
  const root = path.resolve(workspacesRoot)
  const legacy = path.join(root, ctx.session.id)
  return fs.existsSync(legacy) ? legacy : path.join(root, ctx.session.accountId, ctx.session.id)
}

export async function openRunSandbox(ctx: RunContext, opts: OpenRunSandboxOptions): Promise<RunSandbox> {
  const type = ctx.session.sandboxType
  if (type === 'none')
    return unavailable(noSandboxMessage('this session was created without a sandbox (sandboxType "none")'))
  // A run that raced an archive: its sandbox was (or is being) released; opening one would revive
  // it (E2B would create a fresh sandbox nobody releases) and the session with it.
  if (ctx.session.lifecycleState === 'archived')
    return unavailable('This session is archived: its sandbox has been released. Start a new session to keep working.')
  const provider = opts.providers[type]
  if (!provider) {
    return unavailable(
      `This session uses the "${type}" sandbox, which is not configured on this Runyard server. To use it, ${HOW_TO[type]}.`,
    )
  }
  if (ctx.signal.aborted) return unavailable(CANCELLED_WHILE_OPENING)
  if (type !== 'e2b' && ctx.session.workspacePath && opts.workspaceGuard) {
    const refusal = await opts.workspaceGuard(ctx.session.workspacePath)
    if (refusal) return unavailable(`The workspace ${ctx.session.workspacePath} cannot be used: ${refusal}`)
  }
  const env: Record<string, string> = { RUNYARD_API_KEY: ctx.apiKey }
  if (ctx.apiUrl) env.RUNYARD_API_URL = ctx.apiUrl
  // A hibernated session's sandbox is suspended (E2B: paused): opening it resumes it. A previous
  // attempt that died while restoring left `restoring`: same thing.
  const restoring = ctx.session.lifecycleState === 'hibernated' || ctx.session.lifecycleState === 'restoring'
  if (restoring) await ctx.updateSession({ lifecycleState: 'restoring' })
  const opening = provider
    .open({
      sessionId: ctx.session.id,
      ...(type === 'e2b' ? {} : { workspaceDir: sessionWorkspaceDir(ctx, opts.workspacesRoot) }),
      sandboxState: ctx.session.sandboxState ?? undefined,
      env,
    })
    .then(
      async (opened): Promise<OpenedRunSandbox> => {
        const sandbox = opened.sandbox
        let archived: boolean
        try {
          ;({ archived } = await ctx.updateSession({ sandboxState: opened.sandboxState, lifecycleState: 'active' }))
        } catch (e) {
          // a database failure is the engine's business, not a sandbox problem
          await sandbox.close().catch(() => {})
          throw e
        }
        return {
          sandbox,
          require: () => sandbox,
          close: () => sandbox.close(),
          sandboxState: opened.sandboxState,
          archived,
        }
      },
      async (e: unknown): Promise<OpenedRunSandbox> => {
        // Still suspended (or gone): the next run tries again.
        if (restoring) await ctx.updateSession({ lifecycleState: 'hibernated' })
        if (e instanceof SandboxUnavailableError) return unavailable(e.message)
        opts.warn(`could not open the ${type} sandbox for session ${ctx.session.id}`, e)
        return unavailable(`The ${type} sandbox could not be opened: ${(e as Error).message}`)
      },
    )
  // Opening (creating or resuming an E2B sandbox) can take seconds and is not interrupted: a
  // request cut off mid-way may still have created a sandbox that nobody would record or release.
  // A cancelled run stops waiting at once instead; the open finishes on its own, its sandbox is
  // recorded for the session (the next run reuses it, the idle scan suspends it) and closed here —
  // or released, when the cancel came from archiving the session: the archive, no longer held up
  // by this run, may have released the session's sandbox before this one was recorded.
  const cancelled = untilAborted(ctx.signal)
  const outcome = await Promise.race([opening, cancelled.promise])
  cancelled.dispose()
  if (outcome !== ABORTED) return outcome
  void opening
    .then(async (rs) => {
      await rs.close()
      if (rs.sandbox && rs.archived) await provider.destroy?.(rs.sandboxState)
    })
    .catch((e: unknown) => opts.warn(`finishing the ${type} sandbox open of a cancelled run failed`, e))
  return unavailable(CANCELLED_WHILE_OPENING)
}

const CANCELLED_WHILE_OPENING = 'The run was cancelled before its sandbox was open.'
const ABORTED = Symbol('aborted')

/** Resolves with ABORTED when `signal` aborts; `dispose` removes the listener. */
function untilAborted(signal: AbortSignal): { promise: Promise<typeof ABORTED>; dispose: () => void } {
  let onAbort = () => {}
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED)
    if (signal.aborted) resolve(ABORTED)
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) }
}

/**
 * Releases a session's persistent sandbox for good (archive): the provider's `destroy` for the
 * session's `sandboxType` with its stored `sandboxState` (E2B: kill). Nothing to do for sessions
 * without a state or without a sandbox, and for kinds that keep nothing alive between runs
 * (local, host: the workspace folder is the user's and stays). Throws when the sandbox may still
 * exist and could not be released — including an E2B session on a server without E2B configured.
 */
export async function releaseSessionSandbox(
  providers: SandboxProviders,
  sandboxType: SandboxKind | 'none',
  sandboxState: unknown,
): Promise<void> {
  if (sandboxType === 'none' || sandboxState === null || sandboxState === undefined) return
  const provider = providers[sandboxType]
  if (!provider) {
    if (sandboxType === 'e2b')
      throw new SandboxError(
        `The e2b sandbox of this session cannot be released: e2b is not configured on this server (${HOW_TO.e2b}).`,
      )
    return
  }
  await provider.destroy?.(sandboxState)
}

/**
 * What a worker's engine suspends idle sessions with: the kinds whose provider here can suspend a
 * sandbox (E2B: pause; local and host keep nothing running between runs), and that provider's
 * `hibernate` with the session's stored `sandboxState`.
 */
export function sandboxHibernator(providers: SandboxProviders): SandboxHibernator {
  const sandboxTypes = (Object.keys(providers) as SandboxKind[]).filter(
    (kind) => typeof providers[kind]?.hibernate === 'function',
  )
  return {
    sandboxTypes,
    async hibernate(sandboxType, sandboxState) {
      const provider = sandboxType === 'none' ? undefined : providers[sandboxType]
      if (!provider?.hibernate) throw new SandboxError(`The ${sandboxType} sandbox cannot be suspended on this server.`)
      await provider.hibernate(sandboxState)
    },
  }
}

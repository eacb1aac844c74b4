// The `e2b` provider: one E2B cloud sandbox per session, created on first open, reconnected
// (and thereby resumed if paused) afterwards. State stored with the session: `{ sandboxId }`.
import path from 'node:path'
import type { Sandbox as E2BClient } from 'e2b'
import { SandboxError } from './errors.ts'
import type { OpenSandboxOptions, OpenedSandbox, SandboxAvailability, SandboxProvider } from './types.ts'

export const DEFAULT_E2B_WORKSPACE_DIR = '/home/user/workspace'
export const DEFAULT_E2B_TEMPLATE = 'base'
export const DEFAULT_E2B_TIMEOUT_MS = 15 * 60_000

export interface E2BSandboxOptions {
  /** Without one the provider is unavailable. */
  apiKey?: string
  /** Sandbox template. Default `base`. */
  template?: string
  /** Sandbox lifetime set on create/connect (E2B kills or pauses it after). Default 15 min. */
  timeoutMs?: number
  /** Control-plane URL (SDK option): self-hosted E2B, fakes. */
  apiUrl?: string
  /** envd URL for every sandbox (SDK option): self-hosted E2B, fakes. */
  sandboxUrl?: string
  /** E2B domain (SDK option). Default `e2b.app`. */
  domain?: string
  /** Per-request timeout of SDK calls. SDK default 60 s. */
  requestTimeoutMs?: number
}

export interface E2BSandboxState {
  kind: 'e2b'
  sandboxId: string
}

/**
 * The E2B SDK (some 250 modules, ~20 MB of memory once loaded) and the sandbox built on it, loaded
 * on first use: most servers never open an e2b sandbox.
 */
async function loadE2B() {
  const [{ NotFoundError, Sandbox }, { E2BWorkspaceSandbox }] = await Promise.all([
    import('e2b'),
    import('./e2b-sandbox.ts'),
  ])
  return { NotFoundError, Sandbox, E2BWorkspaceSandbox }
}

export function isE2BSandboxState(v: unknown): v is E2BSandboxState {
  return typeof v === 'object' && v !== null && typeof (v as { sandboxId?: unknown }).sandboxId === 'string'
}

export class E2BSandboxProvider implements SandboxProvider {
  readonly kind = 'e2b' as const

  constructor(private readonly opts: E2BSandboxOptions = {}) {}

  /** SDK connection options; unset ones are left out so the SDK's own defaults apply. */
  private connection(): {
    apiKey?: string
    apiUrl?: string
    sandboxUrl?: string
    domain?: string
    requestTimeoutMs?: number
  } {
    const { apiKey, apiUrl, sandboxUrl, domain, requestTimeoutMs } = this.opts
    return {
      ...(apiKey ? { apiKey } : {}),
      ...(apiUrl ? { apiUrl } : {}),
      ...(sandboxUrl ? { sandboxUrl } : {}),
      ...(domain ? { domain } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    }
  }

  async available(): Promise<SandboxAvailability> {
    return this.opts.apiKey ? { ok: true } : { ok: false, reason: 'E2B_API_KEY is not set' }
  }

  async open(session: OpenSandboxOptions): Promise<OpenedSandbox> {
    if (!this.opts.apiKey) throw new SandboxError('The e2b sandbox needs an API key (E2B_API_KEY)')
    const { NotFoundError, Sandbox: E2BClient, E2BWorkspaceSandbox } = await loadE2B()
    const conn = this.connection()
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_E2B_TIMEOUT_MS
    let client: E2BClient | undefined
    if (isE2BSandboxState(session.sandboxState)) {
      try {
        client = await E2BClient.connect(session.sandboxState.sandboxId, { ...conn, timeoutMs })
      } catch (e) {
        // Expired or killed: start over with a fresh sandbox (its files are gone).
        if (!(e instanceof NotFoundError))
          throw new SandboxError(`Could not reconnect to E2B sandbox: ${(e as Error).message}`, { cause: e })
      }
    }
    try {
      client ??= await E2BClient.create(this.opts.template ?? DEFAULT_E2B_TEMPLATE, {
        ...conn,
        timeoutMs,
        metadata: { runyardSessionId: session.sessionId },
      })
    } catch (e) {
      throw new SandboxError(`Could not create an E2B sandbox: ${(e as Error).message}`, { cause: e })
    }
    const workspaceDir = path.posix.resolve(session.workspaceDir ?? DEFAULT_E2B_WORKSPACE_DIR)
    await client.files.makeDir(workspaceDir)
    const sandboxState: E2BSandboxState = { kind: 'e2b', sandboxId: client.sandboxId }
    return { sandbox: new E2BWorkspaceSandbox(client, workspaceDir, { ...session.env }), sandboxState }
  }

  /** Pauses the sandbox (its filesystem and memory are kept; `open` resumes it). */
  async hibernate(sandboxState: unknown): Promise<void> {
    if (!isE2BSandboxState(sandboxState)) return
    const { NotFoundError, Sandbox: E2BClient } = await loadE2B()
    try {
      await E2BClient.pause(sandboxState.sandboxId, this.connection())
    } catch (e) {
      if (!(e instanceof NotFoundError))
        throw new SandboxError(`Could not pause E2B sandbox: ${(e as Error).message}`, { cause: e })
    }
  }

  /** Kills the sandbox (its files are gone); one that no longer exists counts as killed. */
  async destroy(sandboxState: unknown): Promise<void> {
    if (!isE2BSandboxState(sandboxState)) return
    const { NotFoundError, Sandbox: E2BClient } = await loadE2B()
    try {
      await E2BClient.kill(sandboxState.sandboxId, this.connection())
    } catch (e) {
      if (!(e instanceof NotFoundError))
        throw new SandboxError(`Could not kill E2B sandbox ${sandboxState.sandboxId}: ${(e as Error).message}`, {
          cause: e,
        })
    }
  }
}

// The one sandbox abstraction the agent's tools call. Providers: e2b (cloud microVM),
// local (bubblewrap on this machine), host (no isolation, explicit opt-in only).

export type SandboxKind = 'e2b' | 'local' | 'host'
/** `none` is the provider used when no sandbox is usable: every operation throws. */
export type SandboxProviderKind = SandboxKind | 'none'

export interface ExecOptions {
  /** Working directory: relative to the workspace or absolute inside it. Default: the workspace. */
  cwd?: string
  /** Extra environment variables for this command (on top of the session env). */
  env?: Record<string, string>
  /**
   * Kill the command (and everything it started) after this long; the result then has
   * `timedOut: true` and `exitCode: 124`. Default {@link DEFAULT_EXEC_TIMEOUT_MS}; 0 disables.
   */
  timeoutMs?: number
  /**
   * Aborting kills the command (and its children) and rejects with a {@link SandboxAbortError}
   * (name `AbortError`) once the process is gone; the error carries the output so far.
   */
  signal?: AbortSignal
  /** Streamed output (UTF-8 text), limited to the same `maxOutputBytes` as the result. */
  onStdout?(chunk: string): void
  onStderr?(chunk: string): void
  /**
   * Per-stream cap on captured output, in bytes: the head is kept, the rest is dropped and
   * `truncated` is set. Default {@link DEFAULT_MAX_OUTPUT_BYTES}.
   */
  maxOutputBytes?: number
}

export interface ExecResult {
  /** The command's exit code; 124 on timeout; 128+n when killed by signal n (local/host). */
  exitCode: number
  stdout: string
  stderr: string
  timedOut: boolean
  /** True if stdout or stderr was cut at `maxOutputBytes`. */
  truncated: boolean
}

export type SandboxEntryType = 'file' | 'dir' | 'symlink'

export interface SandboxEntry {
  /** Path relative to the workspace, `/`-separated (e.g. `src/index.ts`). */
  path: string
  type: SandboxEntryType
}

export interface SandboxFileInfo extends SandboxEntry {
  /** Size in bytes. */
  size: number
  /** Last modification time, ms since epoch, when the provider knows it. */
  mtimeMs?: number
}

export interface ListOptions {
  /** Descend into subdirectories (symlinked directories are listed, not followed). */
  recursive?: boolean
}

/**
 * A running sandbox for one agent run. All paths are relative to `workspaceDir` or absolute
 * inside it; anything resolving outside (`..`, foreign absolute paths, symlinks pointing out)
 * throws a {@link SandboxPathError}.
 */
export interface Sandbox {
  readonly kind: SandboxKind
  /** Absolute path of the workspace as seen by commands inside the sandbox. */
  readonly workspaceDir: string
  /** Runs `command` with bash. Non-zero exit codes are returned, not thrown. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>
  /** Reads a UTF-8 text file. Throws {@link SandboxFileNotFoundError} if it does not exist. */
  readFile(path: string): Promise<string>
  /** Creates or replaces a file, creating missing parent directories. */
  writeFile(path: string, content: string): Promise<void>
  /** Lists a directory, sorted by path. */
  list(path: string, opts?: ListOptions): Promise<SandboxEntry[]>
  /**
   * Information about a path, or null if it does not exist. Symlinks are followed (their
   * target must be inside the workspace); `path` is the resolved workspace-relative path.
   */
  stat(path: string): Promise<SandboxFileInfo | null>
  exists(path: string): Promise<boolean>
  /**
   * The checked absolute path (inside the sandbox) for a user-supplied path, with symlinks
   * resolved; throws {@link SandboxPathError} if it escapes the workspace. For tools that
   * pass paths to commands (quote them!).
   */
  resolvePath(path: string): Promise<string>
  /** Stops running commands and releases this run's resources; persistent state is kept. */
  close(): Promise<void>
}

export type SandboxAvailability = { ok: true } | { ok: false; reason: string }

export interface OpenSandboxOptions {
  sessionId: string
  /**
   * Where the session's workspace lives, from the provider's point of view: a host directory
   * for `local`/`host` (required; created if missing), a path inside the sandbox for `e2b`
   * (default `/home/user/workspace`).
   */
  workspaceDir?: string
  /** What a previous `open()` returned as `sandboxState` for this session, if anything. */
  sandboxState?: unknown
  /** Environment injected into every command (e.g. RUNYARD_API_KEY, RUNYARD_API_URL). */
  env?: Record<string, string>
}

export interface OpenedSandbox {
  sandbox: Sandbox
  /** JSON-serialisable; store it with the session and pass it back to the next `open()`. */
  sandboxState: unknown
}

export interface SandboxProvider {
  readonly kind: SandboxProviderKind
  /** Whether this provider can work here; the reason says what is missing. Cached. */
  available(): Promise<SandboxAvailability>
  open(session: OpenSandboxOptions): Promise<OpenedSandbox>
  /** Suspends the persistent sandbox behind `sandboxState` (e2b: pause). */
  hibernate?(sandboxState: unknown): Promise<void>
  /** Destroys the persistent sandbox behind `sandboxState` (e2b: kill). */
  destroy?(sandboxState: unknown): Promise<void>
}

export const DEFAULT_EXEC_TIMEOUT_MS = 10 * 60_000
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024
/** Exit code reported when `timeoutMs` fired (same as coreutils `timeout`). */
export const TIMEOUT_EXIT_CODE = 124

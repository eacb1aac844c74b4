// What the services need from the agent runtime: at admission time, to validate a request (known
// model, sandbox in use) without loading models or sandboxes; at archive time, to release the
// session's sandbox without knowing the providers.
import type { SandboxType } from '@runyard/contract'

export interface ModelChoice {
  id: string
  providerId: string
  /** False for a model that takes no images or files (the demo model). Default true. */
  acceptsFiles?: boolean
}

export interface ModelCatalog {
  /** The configured default, or the model named; throws AppError `model_not_found` for unknown ones. */
  resolve(modelId?: string, providerId?: string): ModelChoice
  list(): ModelChoice[]
  readonly isDemo: boolean
}

export interface SandboxLifecycle {
  /**
   * Releases a session's persistent sandbox for good (E2B: kill) from its stored `sandboxState`.
   * Resolves when there was nothing to release; rejects when the sandbox may still exist.
   */
  release(sandboxType: SandboxType, sandboxState: unknown): Promise<void>
}

export interface RuntimeInfo {
  models: ModelCatalog
  /** Sandbox type given to new sessions that do not ask for one. */
  defaultSandbox: SandboxType
  /** Sandbox types that can actually run here. */
  availableSandboxes: SandboxType[]
  /** Human-readable warnings (host sandbox, demo model, no sandbox). */
  warnings: string[]
  sandboxes: SandboxLifecycle
  /** Names of the agent's own tools, which a client's tools may not reuse (none for executors without tools). */
  serverTools?: readonly string[]
}

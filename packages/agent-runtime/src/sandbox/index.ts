// The sandbox layer: one `Sandbox` interface for the agent's tools, three providers
// (e2b, local bubblewrap, unsafe host) plus `none`, and the path confinement they share.
export type {
  ExecOptions,
  ExecResult,
  ListOptions,
  OpenSandboxOptions,
  OpenedSandbox,
  Sandbox,
  SandboxAvailability,
  SandboxEntry,
  SandboxEntryType,
  SandboxFileInfo,
  SandboxKind,
  SandboxProvider,
  SandboxProviderKind,
} from './types.ts'
export { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES, TIMEOUT_EXIT_CODE } from './types.ts'
export { withOpenTiming, type SandboxOpenTiming } from './timed-provider.ts'
export {
  SandboxAbortError,
  SandboxError,
  SandboxFileNotFoundError,
  SandboxPathError,
  SandboxUnavailableError,
  type SandboxPathErrorReason,
} from './errors.ts'
export {
  hostPathInspector,
  normalizeWorkspacePath,
  resolveWorkspacePath,
  toWorkspaceRelative,
  type PathEntryInfo,
  type PathInspector,
} from './paths.ts'
export { LocalSandboxProvider, type LocalSandboxOptions, type LocalSandboxState } from './local.ts'
export { HOST_SANDBOX_WARNING, HostSandboxProvider, type HostSandboxOptions, type HostSandboxState } from './host.ts'
export {
  DEFAULT_E2B_TEMPLATE,
  DEFAULT_E2B_TIMEOUT_MS,
  DEFAULT_E2B_WORKSPACE_DIR,
  E2BSandboxProvider,
  isE2BSandboxState,
  type E2BSandboxOptions,
  type E2BSandboxState,
} from './e2b.ts'
export { NoneSandboxProvider, noSandboxMessage } from './none.ts'
export {
  SANDBOX_MODES,
  selectSandboxProvider,
  type SandboxMode,
  type SandboxOptions,
  type SandboxSelection,
} from './select.ts'

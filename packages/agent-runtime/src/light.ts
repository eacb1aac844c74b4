// @runyard/agent-runtime/light: what a server needs of the agent runtime before it listens, from
// modules that load no AI SDK and no provider SDK: the allowed models (to list and validate ids),
// the sandbox layer (the probe that selects a provider, releasing and hibernating sessions'
// sandboxes) and the tool names. The executor (agent loop, model registry, tools) is the main
// entry's, which the server imports once it listens (apps/server/src/agent.ts; issue #21).
export * from './sandbox/index.ts'
export { createAllowedModels, UnknownModelError, type AllowedModels } from './models/catalog.ts'
export type { ModelInfo, ModelRegistryOptions } from './models/allowed.ts'
export {
  releaseSessionSandbox,
  sandboxHibernator,
  type SandboxProviders,
  type WorkspaceGuard,
} from './agent/run-sandbox.ts'
export { TOOL_NAMES, type ToolName } from './tools/names.ts'

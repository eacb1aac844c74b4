// @runyard/agent-runtime/settings: what the server's configuration needs of the agent runtime
// (setting defaults and the model settings' check), from modules that load no AI SDK, sandbox
// SDK or agent loop, so that `runyard start` validates its configuration and starts the embedded
// PostgreSQL before the rest of the server loads (docs/benchmarks.md, start-up settings).
export { DEFAULT_MAX_STEPS, DEFAULT_SUBAGENT_MAX_STEPS } from './agent/step-limits.ts'
export { listAllowedModels, ModelConfigError, OPENAI_APIS } from './models/allowed.ts'
export { DEFAULT_E2B_TEMPLATE, DEFAULT_E2B_TIMEOUT_MS } from './sandbox/e2b.ts'
export { SANDBOX_MODES } from './sandbox/select.ts'
export { DEFAULT_TOOL_LIMITS } from './tools/context.ts'
export { TOOL_NAMES } from './tools/names.ts'
export { DEFAULT_FETCH_POLICY } from '@runyard/egress'

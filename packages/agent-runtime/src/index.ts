// @runyard/agent-runtime: the RunExecutor behind every Runyard run (AI SDK agent loop, tools,
// skills), the model registry, and the sandbox layer the tools run in.
export * from './sandbox/index.ts'
export {
  createAgentExecutor,
  DEFAULT_MAX_STEPS,
  DEFAULT_SUBAGENT_MAX_STEPS,
  type AgentExecutorOptions,
  type AgentLogger,
} from './agent/executor.ts'
export type { AgentCheckpoint } from './agent/checkpoint.ts'
export {
  openRunSandbox,
  releaseSessionSandbox,
  sandboxHibernator,
  sessionWorkspaceDir,
  type OpenRunSandboxOptions,
  type RunSandbox,
  type SandboxProviders,
  type WorkspaceGuard,
} from './agent/run-sandbox.ts'
export { buildSystemPrompt, type PromptContext } from './agent/system-prompt.ts'
export {
  createAllowedModels,
  createModelRegistry,
  DEFAULT_OPENAI_MODEL,
  DEMO_MODEL_ID,
  listAllowedModels,
  ModelConfigError,
  OPENAI_APIS,
  PROVIDER_IDS,
  UnknownModelError,
  type AllowedModels,
  type ModelInfo,
  type ModelRegistry,
  type ModelRegistryOptions,
  type OpenAIApi,
  type OpenAICompatibleProviderOptions,
  type OpenAIProviderOptions,
  type ProviderId,
  type ResolvedModel,
} from './models/registry.ts'
export { DEMO_MESSAGE, DemoLanguageModel } from './models/demo-model.ts'
export {
  ASK_USER_TOOL,
  blockedReason,
  createTools,
  DEFAULT_FETCH_POLICY,
  DEFAULT_TOOL_LIMITS,
  FetchBlockedError,
  guardedFetch,
  REDACTED,
  TOOL_NAMES,
  type FetchPolicy,
  type SubAgentRequest,
  type TodoItem,
  type ToolEnvironment,
  type ToolLimits,
  type ToolName,
} from './tools/index.ts'
export { discoverSkills, WORKSPACE_SKILLS_DIR } from './skills/discover.ts'
export type { Skill } from './skills/types.ts'

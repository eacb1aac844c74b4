// The configured agent runtime: the allowed models, the sandbox providers, and the executor
// workers use. What the server needs before it listens (the models' ids, the sandbox probe's
// verdict) comes from @runyard/agent-runtime/light, which loads no AI SDK; the executor (agent
// loop, model registry with the provider SDKs, tools) is imported once the server listens
// (`Agent.warm`), or by the first run that needs it (issue #21: ~0.1–0.3 s of a start's CPU).
// RUNYARD_EXECUTOR_MODULE (advanced) swaps the executor for a module exporting
// `createExecutor(): RunExecutor` — used for custom executors and by the test suite's workers.
import fs from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import {
  createAllowedModels,
  releaseSessionSandbox,
  sandboxHibernator,
  selectSandboxProvider,
  type AllowedModels,
  type SandboxKind,
  type SandboxOpenTiming,
  type SandboxProviders,
  withOpenTiming,
  type WorkspaceGuard,
  TOOL_NAMES,
} from '@runyard/agent-runtime/light'
import type { RunExecutor, SandboxHibernator, SandboxType } from '@runyard/contract'
import type { ServerConfig } from './config.ts'
import { lazyExecutor, type LazyExecutor } from './lazy-executor.ts'
import type { Logger } from './logger.ts'
import type { ModelCatalog, RuntimeInfo } from '@runyard/services'

export interface Agent {
  runtime: RuntimeInfo
  /** The agent's executor: a run that starts before its modules have loaded waits for them. */
  executor: RunExecutor
  /** Suspends idle sessions' sandboxes (E2B: pause); for engines that execute runs. */
  hibernator: SandboxHibernator
  /** Starts loading the executor's modules in the background (once the server listens). */
  warm(): void
}

export interface AgentHooks {
  /** Each sandbox open, timed (metrics). */
  onSandboxOpened?(timing: SandboxOpenTiming): void
}

export async function createAgent(
  config: ServerConfig,
  log: Logger,
  workspaceGuard?: WorkspaceGuard,
  hooks: AgentHooks = {},
): Promise<Agent> {
  const models = createAllowedModels(config.models)
  // Decided once: every provider that can work here is offered; the selected one is the default for new sessions.
  const selection = await selectSandboxProvider(config.sandbox)
  const sandboxes = hooks.onSandboxOpened
    ? timedProviders(selection.providers, hooks.onSandboxOpened)
    : selection.providers
  const available = Object.keys(sandboxes) as SandboxKind[]
  const defaultSandbox: SandboxType = selection.provider.kind
  const warnings: string[] = []
  if (selection.warning) warnings.push(selection.warning)
  if (defaultSandbox === 'none') warnings.push(`No sandbox is available: ${selection.reason}`)
  if (models.isDemo)
    warnings.push(
      'No model provider is configured: runs use the built-in demo model. Set OPENAI_API_KEY (or OPENAI_COMPATIBLE_BASE_URL for a local vLLM/Ollama server) and restart.',
    )
  const { agent } = config
  let executor: RunExecutor
  let lazy: LazyExecutor | undefined
  if (agent.executorModule) executor = await loadExecutorModule(agent.executorModule)
  else {
    const workspacesRoot = await managedWorkspacesRoot(config.workspaces.dir)
    executor = lazy = lazyExecutor(async () => {
      const { createAgentExecutor, createModelRegistry } = await import('@runyard/agent-runtime')
      return createAgentExecutor({
        models: createModelRegistry(config.models),
        sandboxes,
        maxSteps: agent.maxSteps,
        subAgentMaxSteps: agent.subAgentMaxSteps,
        limits: agent.limits,
        fetch: config.fetch,
        workspacesRoot,
        workspaceGuard,
        log,
        traceContent: config.tracing?.captureContent,
      })
    })
  }
  const lifecycle = { release: (type: SandboxType, state: unknown) => releaseSessionSandbox(sandboxes, type, state) }
  return {
    runtime: {
      models: modelCatalog(models),
      defaultSandbox,
      availableSandboxes: available,
      warnings,
      sandboxes: lifecycle,
      serverTools: TOOL_NAMES,
    },
    executor,
    hibernator: sandboxHibernator(sandboxes),
    warm: () =>
      void lazy
        ?.load()
        .catch((err: unknown) => log.error({ err }, "loading the agent's executor failed (the next run tries again)")),
  }
}

function timedProviders(providers: SandboxProviders, onOpened: (timing: SandboxOpenTiming) => void): SandboxProviders {
  const timed: SandboxProviders = {}
  for (const kind of Object.keys(providers) as SandboxKind[]) timed[kind] = withOpenTiming(providers[kind]!, onOpened)
  return timed
}

/** The managed workspaces folder, created, as a real path (sandboxes refuse workspaces reached through symlinks). */
async function managedWorkspacesRoot(dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  return fs.realpath(dir)
}

/** What the services may know of the models: ids to validate and list, nothing to run. */
export function modelCatalog(models: AllowedModels): ModelCatalog {
  return {
    get isDemo() {
      return models.isDemo
    },
    resolve: (modelId, providerId) => {
      const m = models.resolve(modelId, providerId)
      return { id: m.id, providerId: m.providerId, acceptsFiles: !m.isDemo }
    },
    list: () => models.list().map((m) => ({ id: m.id, providerId: m.providerId, acceptsFiles: !m.isDemo })),
  }
}

async function loadExecutorModule(modulePath: string): Promise<RunExecutor> {
  const mod = (await import(pathToFileURL(modulePath).href)) as {
    createExecutor?: () => RunExecutor | Promise<RunExecutor>
  }
  if (typeof mod.createExecutor !== 'function')
    throw new Error(`RUNYARD_EXECUTOR_MODULE ${modulePath} must export createExecutor()`)
  return mod.createExecutor()
}

// The configured agent runtime: model registry, sandbox providers, and the executor workers use.
// RUNYARD_EXECUTOR_MODULE (advanced) swaps the executor for a module exporting
// `createExecutor(): RunExecutor` — used for custom executors and by the test suite's workers.
import fs from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import {
  createAgentExecutor,
  createModelRegistry,
  releaseSessionSandbox,
  sandboxHibernator,
  selectSandboxProvider,
  type ModelRegistry,
  type SandboxKind,
  type SandboxOpenTiming,
  type SandboxProviders,
  withOpenTiming,
  type WorkspaceGuard,
  TOOL_NAMES,
} from '@runyard/agent-runtime'
import type { RunExecutor, SandboxHibernator, SandboxType } from '@runyard/contract'
import type { ServerConfig } from './config.ts'
import type { Logger } from './logger.ts'
import type { ModelCatalog, RuntimeInfo } from '@runyard/services'

export interface Agent {
  runtime: RuntimeInfo
  executor: RunExecutor
  /** Suspends idle sessions' sandboxes (E2B: pause); for engines that execute runs. */
  hibernator: SandboxHibernator
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
  const models = createModelRegistry(config.models)
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
  const executor = agent.executorModule
    ? await loadExecutorModule(agent.executorModule)
    : createAgentExecutor({
        models,
        sandboxes,
        maxSteps: agent.maxSteps,
        subAgentMaxSteps: agent.subAgentMaxSteps,
        limits: agent.limits,
        fetch: config.fetch,
        workspacesRoot: await managedWorkspacesRoot(config.workspaces.dir),
        workspaceGuard,
        log,
        traceContent: config.tracing?.captureContent,
      })
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

/** What the services may know of the model registry: ids to validate and list, nothing to run. */
export function modelCatalog(models: ModelRegistry): ModelCatalog {
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

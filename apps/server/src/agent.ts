// The configured agent runtime: model registry, sandbox providers, and the executor workers use.
// RUNYARD_EXECUTOR_MODULE (advanced) swaps the executor for a module exporting
// `createExecutor(): RunExecutor` — used for custom executors and by the test suite's workers.
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  agentOptionsFromEnv,
  createAgentExecutor,
  createModelRegistry,
  E2BSandboxProvider,
  e2bOptionsFromEnv,
  HOST_SANDBOX_WARNING,
  HostSandboxProvider,
  LocalSandboxProvider,
  localOptionsFromEnv,
  readSandboxMode,
  releaseSessionSandbox,
  sandboxHibernator,
  selectSandboxProvider,
  type ModelRegistry,
  type SandboxProviders,
  type WorkspaceGuard,
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

export async function createAgent(config: ServerConfig, log: Logger, workspaceGuard?: WorkspaceGuard): Promise<Agent> {
  const env = config.env
  const models = createModelRegistry(env)
  const selection = await selectSandboxProvider({ env })
  const sandboxes: SandboxProviders = {}
  const available: SandboxType[] = []
  // Every provider that can work here is offered; the selected one is the default for new sessions.
  const local = new LocalSandboxProvider(localOptionsFromEnv(env))
  if ((await local.available()).ok) {
    sandboxes.local = local
    available.push('local')
  }
  if (env.E2B_API_KEY) {
    sandboxes.e2b = new E2BSandboxProvider(e2bOptionsFromEnv(env))
    available.push('e2b')
  }
  if (readSandboxMode(env) === 'host') {
    sandboxes.host = new HostSandboxProvider({})
    available.push('host')
  }
  const defaultSandbox: SandboxType = selection.provider.kind
  const warnings: string[] = []
  if (defaultSandbox === 'host') warnings.push(HOST_SANDBOX_WARNING)
  if (defaultSandbox === 'none') warnings.push(`No sandbox is available: ${selection.reason}`)
  if (models.isDemo)
    warnings.push('No model provider is configured: runs use the built-in demo model. Set OPENAI_API_KEY (or OPENAI_COMPATIBLE_BASE_URL for a local vLLM/Ollama server) and restart.')
  const executor = env.RUNYARD_EXECUTOR_MODULE
    ? await loadExecutorModule(env.RUNYARD_EXECUTOR_MODULE)
    : createAgentExecutor({ models, sandboxes, ...agentOptionsFromEnv(env), workspacesRoot: await managedWorkspacesRoot(config.workspacesDir), workspaceGuard, log })
  const lifecycle = { release: (type: SandboxType, state: unknown) => releaseSessionSandbox(sandboxes, type, state) }
  return {
    runtime: { models: modelCatalog(models), defaultSandbox, availableSandboxes: available, warnings, sandboxes: lifecycle },
    executor,
    hibernator: sandboxHibernator(sandboxes),
  }
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
      return { id: m.id, providerId: m.providerId }
    },
    list: () => models.list().map((m) => ({ id: m.id, providerId: m.providerId })),
  }
}

async function loadExecutorModule(modulePath: string): Promise<RunExecutor> {
  const mod = (await import(pathToFileURL(path.resolve(modulePath)).href)) as { createExecutor?: () => RunExecutor | Promise<RunExecutor> }
  if (typeof mod.createExecutor !== 'function') throw new Error(`RUNYARD_EXECUTOR_MODULE ${modulePath} must export createExecutor()`)
  return mod.createExecutor()
}

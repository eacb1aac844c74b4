// The real agent runtime for server tests: createAgentExecutor with the real @ai-sdk/openai
// provider against a fake OpenAI server, tools in a host sandbox under `workspacesRoot`.
import { createAgentExecutor, createModelRegistry, HostSandboxProvider, TOOL_NAMES } from '@runyard/agent-runtime'
import type { RunExecutor } from '@runyard/contract'
import { modelCatalog } from '../../src/agent.ts'
import type { RuntimeInfo } from '@runyard/services'

export function realAgent(
  openaiBaseUrl: string,
  workspacesRoot: string,
): { executor: RunExecutor; runtime: RuntimeInfo } {
  const models = createModelRegistry({
    openai: { apiKey: 'sk-test', baseURL: openaiBaseUrl },
    defaultModel: 'openai/gpt-test',
  })
  const runtime: RuntimeInfo = {
    models: modelCatalog(models),
    defaultSandbox: 'host',
    availableSandboxes: ['host'],
    serverTools: TOOL_NAMES,
    warnings: [],
    sandboxes: { release: async () => {} },
  }
  const executor = createAgentExecutor({
    models,
    sandboxes: { host: new HostSandboxProvider() },
    workspacesRoot,
    maxRetries: 0,
  })
  return { executor, runtime }
}

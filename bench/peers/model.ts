// The scripted OpenAI-compatible model every server talks to (testkit's fake OpenAI server, real
// wire protocol on 127.0.0.1): a request that offers `bash` and carries no tool result yet gets a
// `bash` call running COMMAND; a request with the tool's result gets an answer quoting the line
// of its output that has PROOF (the same words for every server, whatever else its tool reports),
// streamed word by word WORD_DELAY_MS apart. Anything else gets an answer the run check rejects.
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest, type FakeTurn } from '@runyard/testkit/fake-openai/index'
import { COMMAND, PROOF } from './task.ts'

export const MODEL_ID = 'fake-model'
export const WORD_DELAY_MS = 5

function reply(request: FakeRequest): FakeTurn {
  const result = request.toolResultsSinceUser > 0 ? request.toolResults.at(-1) : undefined
  if (result) {
    const quoted = result.output.split('\n').find((line) => line.includes(PROOF)) ?? result.output.slice(0, 200)
    return { text: `Done. The tool said: ${quoted}`, chunkDelayMs: WORD_DELAY_MS }
  }
  if (request.toolNames.includes('bash')) return { toolCalls: [{ name: 'bash', arguments: bashArguments(request) }] }
  return { text: `No bash tool was offered (tools: ${request.toolNames.join(', ') || 'none'}).` }
}

/** opencode's `bash` requires a `description`; the others take only `command` (and may reject more). */
function bashArguments(request: FakeRequest): Record<string, string> {
  const tool = (
    request.body?.tools as { function?: { name?: string; parameters?: { properties?: object } } }[] | undefined
  )?.find((t) => t.function?.name === 'bash')
  const wantsDescription =
    tool?.function?.parameters?.properties !== undefined && 'description' in tool.function.parameters.properties
  return wantsDescription ? { command: COMMAND, description: 'Write and print the proof file' } : { command: COMMAND }
}

export function startScriptedModel(): Promise<FakeOpenAI> {
  return startFakeOpenAI({ respond: reply })
}

/** Model requests answered so far (2 per run when every server does what the task asks). */
export const modelCalls = (model: FakeOpenAI) =>
  model.requests.filter((r) => r.api === 'chat' || r.api === 'responses').length

// Runyard's demo model: what runs when no model provider is configured. It is not an AI and
// says so: it streams one fixed, clearly labelled message explaining how to configure a real
// provider. This is the only hard-coded model output in product code.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider'

export const DEMO_PROVIDER_ID = 'demo'
export const DEMO_MODEL_NAME = 'runyard-demo'

export const DEMO_MESSAGE =
  "This is Runyard's built-in demo model, not a real AI model: no model provider is configured on " +
  'this Runyard server, so it can only send this fixed message and cannot read, run or change anything. ' +
  'To use a real model, set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and RUNYARD_MODEL, e.g. ' +
  'RUNYARD_MODEL=openai/gpt-4.1-mini) for OpenAI, or OPENAI_COMPATIBLE_BASE_URL (plus OPENAI_COMPATIBLE_API_KEY ' +
  'if needed) and RUNYARD_MODEL=openai-compatible/<model> for a local server such as vLLM, Ollama, llama.cpp ' +
  'or LM Studio, then restart Runyard.'

const ZERO_USAGE: LanguageModelV4Usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
}

const STOP = { unified: 'stop', raw: 'stop' } as const

/** Word-sized pieces, so clients see it stream like any other model. */
function pieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text]
}

export class DemoLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4' as const
  readonly provider = DEMO_PROVIDER_ID
  readonly modelId = DEMO_MODEL_NAME
  readonly supportedUrls: Record<string, RegExp[]> = {}

  async doGenerate(_options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    return { content: [{ type: 'text', text: DEMO_MESSAGE }], finishReason: STOP, usage: ZERO_USAGE, warnings: [] }
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const signal = options.abortSignal
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', modelId: DEMO_MODEL_NAME },
      { type: 'text-start', id: 'demo' },
      ...pieces(DEMO_MESSAGE).map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 'demo', delta })),
      { type: 'text-end', id: 'demo' },
      { type: 'finish', finishReason: STOP, usage: ZERO_USAGE },
    ]
    let i = 0
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      pull(controller) {
        if (signal?.aborted) return controller.error(signal.reason)
        const next = parts[i++]
        if (next) controller.enqueue(next)
        else controller.close()
      },
    })
    return { stream }
  }
}

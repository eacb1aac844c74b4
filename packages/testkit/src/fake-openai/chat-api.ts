// Renders a FakeTurn as a Chat Completions reply (POST /v1/chat/completions), used by
// `openai.chat(model)` and @ai-sdk/openai-compatible. Reasoning goes out as vLLM-style
// `reasoning_content`, which openai-compatible reads and `openai.chat` ignores.
import { planStream, type RenderContext, type SseEvent, type StreamPlan } from './sse.ts'
import { argumentPieces, deltas, encodeArguments, finishReasonOf } from './turns.ts'
import type { FakeTurn, JsonObject } from './types.ts'

function usageOf(turn: FakeTurn): JsonObject {
  const u = turn.usage ?? { input: 0, output: 0 }
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cachedInput ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

function toolCallsOf(turn: FakeTurn, ctx: RenderContext) {
  return (turn.toolCalls ?? []).map((c) => ({
    id: c.id ?? ctx.id('call_'),
    name: c.name,
    args: encodeArguments(c.arguments),
  }))
}

export function chatJson(turn: FakeTurn, ctx: RenderContext): JsonObject {
  const text = deltas(turn.text).join('')
  const reasoning = deltas(turn.reasoning).join('')
  const calls = toolCallsOf(turn, ctx)
  const message: JsonObject = {
    role: 'assistant',
    content: text.length > 0 ? text : null,
    refusal: null,
    annotations: [],
  }
  if (reasoning.length > 0) message.reasoning_content = reasoning
  if (calls.length > 0)
    message.tool_calls = calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.args },
    }))
  return {
    id: ctx.id('chatcmpl-'),
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(turn) }],
    usage: usageOf(turn),
  }
}

/** `includeUsage` mirrors `stream_options.include_usage`: like OpenAI and vLLM, no usage chunk without it. */
export function chatStream(turn: FakeTurn, ctx: RenderContext, includeUsage: boolean): StreamPlan {
  const base = { id: ctx.id('chatcmpl-'), object: 'chat.completion.chunk', created: ctx.created, model: ctx.model }
  const chunk = (
    delta: JsonObject,
    flags: Pick<SseEvent, 'content' | 'final' | 'preamble'> = {},
    finish: string | null = null,
  ): SseEvent => ({
    data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
    ...flags,
  })
  const text = deltas(turn.text)
  const events: SseEvent[] = [
    chunk({ role: 'assistant', content: text.length > 0 ? '' : null, refusal: null }, { preamble: true }),
  ]
  for (const d of deltas(turn.reasoning)) events.push(chunk({ reasoning_content: d }, { content: true }))
  for (const d of text) events.push(chunk({ content: d }, { content: true }))
  toolCallsOf(turn, ctx).forEach((c, index) => {
    events.push(
      chunk(
        { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] },
        { content: true },
      ),
    )
    for (const piece of argumentPieces(c.args))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }))
  })
  events.push(chunk({}, { final: true }, finishReasonOf(turn)))
  if (includeUsage) events.push({ data: { ...base, choices: [], usage: usageOf(turn) }, final: true })
  events.push({ data: '[DONE]', final: true })
  return planStream(turn, events, (e) => [
    { data: { error: { message: e.message, type: e.type, param: null, code: e.code } } },
  ])
}

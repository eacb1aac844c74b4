// Renders a FakeTurn as an OpenAI Responses API reply (POST /v1/responses), the API that
// `createOpenAI()(model)` uses. Event and item shapes follow what @ai-sdk/openai parses.
import { planStream, type RenderContext, type SseEvent, type StreamPlan } from './sse.ts'
import { argumentPieces, deltas, encodeArguments, finishReasonOf } from './turns.ts'
import type { FakeTurn, JsonObject, JsonValue } from './types.ts'

interface Rendered {
  /** The final `response` object (also the non-streaming body). */
  response: JsonObject
  events: SseEvent[]
}

function usageOf(turn: FakeTurn): JsonObject {
  const u = turn.usage ?? { input: 0, output: 0 }
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cachedInput ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  }
}

function responseObject(id: string, ctx: RenderContext, extra: JsonObject): JsonObject {
  return {
    id,
    object: 'response',
    created_at: ctx.created,
    model: ctx.model,
    error: null,
    incomplete_details: null,
    ...extra,
  }
}

function render(turn: FakeTurn, ctx: RenderContext): Rendered {
  const responseId = ctx.id('resp_')
  const events: SseEvent[] = []
  const output: JsonValue[] = []
  const push = (type: string, data: JsonObject, flags: Pick<SseEvent, 'content' | 'final' | 'preamble'> = {}) =>
    events.push({ event: type, data: { type, ...data }, ...flags })

  const inProgress = { response: responseObject(responseId, ctx, { status: 'in_progress', output: [], usage: null }) }
  // Only these two precede output: any later event (even output_item.added) counts as output for the SDK.
  push('response.created', inProgress, { preamble: true })
  push('response.in_progress', inProgress, { preamble: true })

  const reasoning = deltas(turn.reasoning)
  if (reasoning.length > 0) {
    const id = ctx.id('rs_')
    const output_index = output.length
    const text = reasoning.join('')
    const item = { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] }
    push('response.output_item.added', { output_index, item: { type: 'reasoning', id, summary: [] } })
    const part = { item_id: id, output_index, summary_index: 0 }
    push('response.reasoning_summary_part.added', { ...part, part: { type: 'summary_text', text: '' } })
    for (const delta of reasoning) push('response.reasoning_summary_text.delta', { ...part, delta }, { content: true })
    push('response.reasoning_summary_text.done', { ...part, text })
    push('response.reasoning_summary_part.done', { ...part, part: { type: 'summary_text', text } })
    push('response.output_item.done', { output_index, item })
    output.push(item)
  }

  const text = deltas(turn.text)
  if (text.length > 0) {
    const id = ctx.id('msg_')
    const output_index = output.length
    const full = text.join('')
    const content = { type: 'output_text', text: full, annotations: [], logprobs: [] }
    const item = { type: 'message', id, status: 'completed', role: 'assistant', content: [content] }
    push('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } })
    const part = { item_id: id, output_index, content_index: 0 }
    push('response.content_part.added', { ...part, part: { ...content, text: '' } })
    for (const delta of text) push('response.output_text.delta', { ...part, delta, logprobs: [] }, { content: true })
    push('response.output_text.done', { ...part, text: full, logprobs: [] })
    push('response.content_part.done', { ...part, part: content })
    push('response.output_item.done', { output_index, item })
    output.push(item)
  }

  for (const call of turn.toolCalls ?? []) {
    const id = ctx.id('fc_')
    const output_index = output.length
    const args = encodeArguments(call.arguments)
    const item = {
      type: 'function_call',
      id,
      call_id: call.id ?? ctx.id('call_'),
      name: call.name,
      arguments: args,
      status: 'completed',
    }
    push('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } })
    for (const delta of argumentPieces(args))
      push('response.function_call_arguments.delta', { item_id: id, output_index, delta }, { content: true })
    push('response.function_call_arguments.done', { item_id: id, output_index, arguments: args })
    push('response.output_item.done', { output_index, item })
    output.push(item)
  }

  // 'length' / 'content_filter' end as an incomplete response; tool calls need no special status
  // (the SDK reports 'tool-calls' whenever a function_call item is present).
  const finish = finishReasonOf(turn)
  const incompleteReason =
    finish === 'length' ? 'max_output_tokens' : finish === 'content_filter' ? 'content_filter' : null
  const response = responseObject(responseId, ctx, {
    status: incompleteReason ? 'incomplete' : 'completed',
    ...(incompleteReason ? { incomplete_details: { reason: incompleteReason } } : {}),
    output,
    usage: usageOf(turn),
  })
  push(incompleteReason ? 'response.incomplete' : 'response.completed', { response }, { final: true })
  return { response, events }
}

export function responsesJson(turn: FakeTurn, ctx: RenderContext): JsonObject {
  return render(turn, ctx).response
}

export function responsesStream(turn: FakeTurn, ctx: RenderContext): StreamPlan {
  const plan = planStream(turn, render(turn, ctx).events, (e) => [
    { event: 'error', data: { type: 'error', code: e.code, message: e.message, param: null } },
  ])
  // sequence_number is required on some events (error, response.failed); real servers number all.
  const events = plan.events.map((e, i): SseEvent =>
    e.data === '[DONE]' ? e : { ...e, data: { ...e.data, sequence_number: i } },
  )
  return { events, stall: plan.stall }
}

// The request's model settings: what the model is called with (sampling), and what the response
// reports back for them (the request's values, else OpenAI's documented defaults, in projection).
import type { Sampling } from '@runyard/contract'
import type { ResponseSettings } from '../../projections/responses.ts'
import type { CreateResponseBody } from './request.ts'
import type { FunctionTool } from './schemas.ts'

export function samplingOf(body: CreateResponseBody): Sampling | undefined {
  const sampling: Sampling = {
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    ...(body.max_output_tokens != null ? { maxOutputTokens: body.max_output_tokens } : {}),
    ...(body.presence_penalty != null ? { presencePenalty: body.presence_penalty } : {}),
    ...(body.frequency_penalty != null ? { frequencyPenalty: body.frequency_penalty } : {}),
  }
  return Object.keys(sampling).length ? sampling : undefined
}

/** The settings the request gave, as the response reports them (the rest take their defaults). */
export function reportedSettings(body: CreateResponseBody, tools: FunctionTool[]): Partial<ResponseSettings> {
  const given = {
    tool_choice: body.tool_choice,
    parallel_tool_calls: body.parallel_tool_calls,
    temperature: body.temperature,
    top_p: body.top_p,
    presence_penalty: body.presence_penalty,
    frequency_penalty: body.frequency_penalty,
    top_logprobs: body.top_logprobs,
    max_output_tokens: body.max_output_tokens,
    max_tool_calls: body.max_tool_calls,
    service_tier: body.service_tier,
    safety_identifier: body.safety_identifier,
    prompt_cache_key: body.prompt_cache_key,
    truncation: body.truncation,
    reasoning: body.reasoning,
  }
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== null))
  return { ...set, ...(tools.length ? { tools } : {}) }
}

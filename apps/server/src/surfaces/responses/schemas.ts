// Wire schemas of what the OpenAI-compatible Responses API answers (snake_case, OpenAI's field
// names): the response object, input items and stream events. They document the surface in
// /openapi.json and type what the projection produces; the shapes follow the Open Responses
// specification (and openai-node's types). The request is in request.ts.
import { z } from 'zod'
import { FunctionToolParam, ReasoningParam, ServiceTier, ToolChoiceParam } from './request.ts'

/** A client tool as the response reports it. */
export const FunctionTool = FunctionToolParam.extend({
  description: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
  strict: z.boolean().nullable(),
}).meta({ id: 'ResponsesFunctionToolDefinition' })
export type FunctionTool = z.infer<typeof FunctionTool>

// ---------------------------------------------------------------------------------------------
// Response object

export const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete'])
export const ResponseStatus = z.enum(['queued', 'in_progress', 'completed', 'failed', 'cancelled', 'incomplete']).meta({
  id: 'ResponseStatus',
  description:
    'Run states as Responses names them (`running` is `in_progress`). `incomplete` is reserved; Runyard does not currently produce it.',
})
export type ResponseStatus = z.infer<typeof ResponseStatus>

/**
 * Fields OpenAI defines that Runyard always leaves empty: `maxItems: 0` in the document, typed
 * `never[]` (z.never has no OpenAPI form, so the array is declared over unknown and retyped).
 */
const empty = () =>
  z.array(z.unknown()).max(0).meta({ description: 'Always empty.' }) as unknown as z.ZodArray<z.ZodNever>

export const OutputText = z
  .object({ type: z.literal('output_text'), text: z.string(), annotations: empty(), logprobs: empty() })
  .meta({ id: 'ResponsesOutputText' })
export const ReasoningText = z
  .object({ type: z.literal('reasoning_text'), text: z.string() })
  .meta({ id: 'ResponsesReasoningText' })

export const OutputMessageItem = z
  .object({
    type: z.literal('message'),
    id: z.string(),
    role: z.literal('assistant'),
    status: ItemStatus,
    content: z.array(OutputText),
  })
  .meta({ id: 'ResponsesOutputMessage', description: 'Assistant text.' })
export const FunctionCallItem = z
  .object({
    type: z.literal('function_call'),
    id: z.string(),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    status: ItemStatus,
  })
  .meta({
    id: 'ResponsesFunctionCall',
    description:
      "A tool call the model made (`arguments` is a JSON string). A call of one of the client's own tools ends the response: run it and send its `function_call_output`. A call of one of the agent's server-side tools is followed by its `function_call_output` item: it already ran.",
  })
export const FunctionCallOutputItem = z
  .object({
    type: z.literal('function_call_output'),
    id: z.string(),
    call_id: z.string(),
    name: z.string(),
    output: z.string(),
    status: ItemStatus,
  })
  .meta({
    id: 'ResponsesFunctionCallOutput',
    description:
      'The result of a server-side tool call (paired with its `function_call` by `call_id`). Informational: never send it back.',
  })
export const ReasoningItem = z
  .object({
    type: z.literal('reasoning'),
    id: z.string(),
    summary: empty(),
    content: z.array(ReasoningText),
    status: ItemStatus,
  })
  .meta({ id: 'ResponsesReasoning', description: 'Reasoning text the model exposed.' })

export const OutputItem = z
  .discriminatedUnion('type', [OutputMessageItem, FunctionCallItem, FunctionCallOutputItem, ReasoningItem])
  .meta({ id: 'ResponsesOutputItem' })
export type OutputItem = z.infer<typeof OutputItem>
export type OutputMessageItem = z.infer<typeof OutputMessageItem>
export type ReasoningItem = z.infer<typeof ReasoningItem>

export const ResponseUsage = z
  .object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int(), cache_write_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
  })
  .meta({ id: 'ResponsesUsage', description: 'Token totals of the completed model steps so far.' })

export const ResponseErrorObject = z
  .object({
    code: z.literal('server_error'),
    message: z.string(),
    type: z.string().nullable().meta({
      description: "Runyard's run error code: `llm`, `tool`, `sandbox`, `timeout`, `worker_lost` or `internal`.",
    }),
    param: z.null(),
  })
  .meta({ id: 'ResponsesError', description: 'Why the response failed.' })

export const ResponseObject = z
  .object({
    id: z.string().meta({ description: 'Response id (`resp_…`).' }),
    object: z.literal('response'),
    created_at: z.number().int().meta({ description: 'Unix time (seconds).' }),
    completed_at: z.number().int().nullable(),
    status: ResponseStatus,
    background: z.boolean(),
    model: z.string().meta({ description: 'The model the run uses (`"default"` resolved to the configured model).' }),
    output: z.array(OutputItem),
    output_text: z.string().meta({
      description:
        'All `output_text` parts of the output messages, concatenated (equals the concatenated `response.output_text.delta`s).',
    }),
    usage: ResponseUsage,
    error: ResponseErrorObject.nullable(),
    incomplete_details: z.null(),
    instructions: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).meta({ description: 'As given on create (`{}` when none).' }),
    previous_response_id: z.string().nullable(),
    store: z.boolean(),
    parallel_tool_calls: z.boolean(),
    tool_choice: ToolChoiceParam,
    tools: z.array(FunctionTool).meta({
      description: "The client's own tools offered to the model (the agent's server-side tools are not listed).",
    }),
    temperature: z.number().meta({ description: 'As given on create, else 1.' }),
    top_p: z.number().meta({ description: 'As given on create, else 1.' }),
    presence_penalty: z.number(),
    frequency_penalty: z.number(),
    top_logprobs: z.number().int(),
    max_output_tokens: z.number().int().nullable(),
    max_tool_calls: z.number().int().nullable(),
    service_tier: ServiceTier,
    safety_identifier: z.string().nullable(),
    prompt_cache_key: z.string().nullable(),
    truncation: z.enum(['auto', 'disabled']),
    text: z.object({ format: z.object({ type: z.literal('text') }) }),
    reasoning: ReasoningParam.nullable(),
    access_programs: z.null(),
    x_runyard: z.object({ run_id: z.string(), session_id: z.string(), chat_id: z.string() }).meta({
      description:
        'Runyard extension: the run behind this response, usable on the other surfaces (console, `/api/chat/runs/{runId}`).',
    }),
  })
  .meta({ id: 'Response', description: 'A response: the Responses API view of one Runyard run.' })
export type ResponseObject = z.infer<typeof ResponseObject>

export const DeletedResponse = z
  .object({ id: z.string(), object: z.literal('response.deleted'), deleted: z.literal(true) })
  .meta({ id: 'DeletedResponse' })

const InputContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z.object({ type: z.literal('input_image'), image_url: z.string(), detail: z.enum(['low', 'high', 'auto']) }),
  z.object({ type: z.literal('input_file'), filename: z.string().nullable(), file_url: z.string() }),
])

export const InputItem = z
  .union([
    z.object({
      type: z.literal('message'),
      id: z.string(),
      role: z.enum(['user', 'system', 'developer']),
      status: z.literal('completed'),
      content: z.array(InputContent),
    }),
    OutputMessageItem,
    z.object({
      type: z.literal('function_call'),
      id: z.string(),
      call_id: z.string(),
      name: z.string(),
      arguments: z.string(),
      status: z.literal('completed'),
    }),
    z.object({
      type: z.literal('function_call_output'),
      id: z.string(),
      call_id: z.string(),
      output: z.string(),
      status: z.literal('completed'),
    }),
  ])
  .meta({ id: 'ResponsesInputItem' })
export type InputItem = z.infer<typeof InputItem>

export const InputItemList = z
  .object({
    object: z.literal('list'),
    data: z.array(InputItem),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  })
  .meta({ id: 'ResponsesInputItemList' })

// ---------------------------------------------------------------------------------------------
// Stream events

/**
 * A cancelled run's terminal event. The specification has no cancelled event; extension events
 * carry the implementer's prefix.
 */
export const CANCELLED_EVENT = 'runyard:response.cancelled'

const seq = { sequence_number: z.number().int().nonnegative() }
const withResponse = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), response: ResponseObject, ...seq })
const at = { item_id: z.string(), output_index: z.number().int() }

export const StreamEvent = z
  .discriminatedUnion('type', [
    withResponse('response.created'),
    withResponse('response.in_progress'),
    withResponse('response.completed'),
    withResponse('response.failed'),
    withResponse('response.incomplete'),
    withResponse(CANCELLED_EVENT),
    z.object({
      type: z.literal('response.output_item.added'),
      output_index: z.number().int(),
      item: OutputItem,
      ...seq,
    }),
    z.object({
      type: z.literal('response.output_item.done'),
      output_index: z.number().int(),
      item: OutputItem,
      ...seq,
    }),
    z.object({
      type: z.literal('response.content_part.added'),
      ...at,
      content_index: z.number().int(),
      part: z.union([OutputText, ReasoningText]),
      ...seq,
    }),
    z.object({
      type: z.literal('response.content_part.done'),
      ...at,
      content_index: z.number().int(),
      part: z.union([OutputText, ReasoningText]),
      ...seq,
    }),
    z.object({
      type: z.literal('response.output_text.delta'),
      ...at,
      content_index: z.number().int(),
      delta: z.string(),
      logprobs: empty(),
      ...seq,
    }),
    z.object({
      type: z.literal('response.output_text.done'),
      ...at,
      content_index: z.number().int(),
      text: z.string(),
      logprobs: empty(),
      ...seq,
    }),
    z.object({
      type: z.literal('response.reasoning.delta'),
      ...at,
      content_index: z.number().int(),
      delta: z.string(),
      ...seq,
    }),
    z.object({
      type: z.literal('response.reasoning.done'),
      ...at,
      content_index: z.number().int(),
      text: z.string(),
      ...seq,
    }),
    z.object({ type: z.literal('response.function_call_arguments.delta'), ...at, delta: z.string(), ...seq }),
    z.object({
      type: z.literal('response.function_call_arguments.done'),
      ...at,
      name: z.string(),
      arguments: z.string(),
      ...seq,
    }),
    // The error fields both nested (Open Responses) and at the top (openai-node's ResponseErrorEvent).
    z.object({
      type: z.literal('error'),
      error: z.object({
        type: z.string(),
        code: z.string().nullable(),
        message: z.string(),
        param: z.string().nullable(),
      }),
      code: z.string().nullable(),
      message: z.string(),
      param: z.string().nullable(),
      ...seq,
    }),
  ])
  .meta({ id: 'ResponseStreamEvent', description: 'One server-sent event (`event: <type>`, `data: <this JSON>`).' })
export type StreamEvent = z.infer<typeof StreamEvent>

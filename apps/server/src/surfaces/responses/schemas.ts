// Wire schemas of the OpenAI-compatible Responses API (snake_case, OpenAI's field names). They
// document the surface in /openapi.json and type what the projection produces; the shapes follow
// openai-node's `Response`, `ResponseOutputItem` and `ResponseStreamEvent` types.
import { z } from 'zod'

// ---------------------------------------------------------------------------------------------
// Request

export const InputContentPart = z
  .object({
    type: z.string().meta({ description: '`input_text` (user/system/developer) or `output_text` (assistant). Other types are rejected.' }),
    text: z.string().optional(),
  })
  .meta({ id: 'ResponsesInputContentPart' })

export const InputMessage = z
  .object({
    type: z.literal('message').optional().meta({ description: 'Optional item type; only `message` items are accepted.' }),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(InputContentPart).min(1)]),
  })
  .meta({ id: 'ResponsesInputMessage', description: 'One input message. `system`/`developer` messages are kept in the transcript as system messages.' })

const Metadata = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'metadata may have at most 16 keys')
  .meta({ id: 'ResponsesMetadata', description: 'Up to 16 string key/value pairs (keys ≤ 64 chars, values ≤ 512 chars), returned as given.' })

export const CreateResponseBody = z
  .object({
    model: z.string().min(1).meta({ description: '`"default"` (the server\'s configured model) or any model id the server knows. Unknown models answer 400 with `param: "model"`.' }),
    input: z.union([z.string(), z.array(InputMessage).min(1)]).meta({
      description: 'The user turn: a string, or an array of input messages (the last `user` message is the new turn). Must contain non-blank user text.',
    }),
    instructions: z.string().nullable().optional().meta({ description: 'Extra system instructions for this response only (not carried over by `previous_response_id`).' }),
    stream: z.boolean().nullable().optional().meta({ description: '`true`: answer with server-sent events (OpenAI event names, increasing `sequence_number`).' }),
    background: z.boolean().nullable().optional().meta({ description: '`true`: answer at once with status `queued`; the run continues on the engine. Poll, stream or cancel it by id.' }),
    store: z.boolean().nullable().optional().meta({
      description: 'Default `true`. `false`: the response id is not registered, so it cannot be retrieved, cancelled, deleted or continued later (not allowed with `background`).',
    }),
    previous_response_id: z.string().nullable().optional().meta({
      description: 'Continue the conversation of this response (the same chat: the agent sees every earlier turn). Unknown or not owned: 404.',
    }),
    metadata: Metadata.nullable().optional(),
    x_context: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .meta({
        description:
          'Structured, machine-readable context for this turn (Runyard extension). It is prepended to the user message as one readable line, e.g. `[Context: notification_response — notification_id: msg_123, action: approved]`, and stored in that message\'s `metadata.x_context`.',
      }),
    tools: z.array(z.unknown()).nullable().optional().meta({ description: 'Not supported: the agent\'s tools run server-side. Must be absent or empty.' }),
  })
  .meta({
    id: 'CreateResponseRequest',
    description: 'Other OpenAI request fields (`temperature`, `max_output_tokens`, `reasoning`, `text`, …) are accepted and ignored.',
  })
export type CreateResponseBody = z.infer<typeof CreateResponseBody>

// ---------------------------------------------------------------------------------------------
// Response object

export const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete'])
export const ResponseStatus = z
  .enum(['queued', 'in_progress', 'completed', 'failed', 'cancelled', 'incomplete'])
  .meta({ id: 'ResponseStatus', description: 'Run states as Responses names them (`running` is `in_progress`). `incomplete` is reserved; Runyard does not currently produce it.' })
export type ResponseStatus = z.infer<typeof ResponseStatus>

/**
 * Fields OpenAI defines that Runyard always leaves empty: `maxItems: 0` in the document, typed
 * `never[]` (z.never has no OpenAPI form, so the array is declared over unknown and retyped).
 */
const empty = () => z.array(z.unknown()).max(0).meta({ description: 'Always empty.' }) as unknown as z.ZodArray<z.ZodNever>

export const OutputText = z
  .object({ type: z.literal('output_text'), text: z.string(), annotations: empty(), logprobs: empty() })
  .meta({ id: 'ResponsesOutputText' })
export const ReasoningText = z.object({ type: z.literal('reasoning_text'), text: z.string() }).meta({ id: 'ResponsesReasoningText' })

export const OutputMessageItem = z
  .object({ type: z.literal('message'), id: z.string(), role: z.literal('assistant'), status: ItemStatus, content: z.array(OutputText) })
  .meta({ id: 'ResponsesOutputMessage', description: 'Assistant text.' })
export const FunctionCallItem = z
  .object({ type: z.literal('function_call'), id: z.string(), call_id: z.string(), name: z.string(), arguments: z.string(), status: ItemStatus })
  .meta({ id: 'ResponsesFunctionCall', description: 'A tool call the agent made (server-side tools; `arguments` is a JSON string).' })
export const FunctionCallOutputItem = z
  .object({ type: z.literal('function_call_output'), id: z.string(), call_id: z.string(), name: z.string(), output: z.string(), status: ItemStatus })
  .meta({ id: 'ResponsesFunctionCallOutput', description: 'The result of a server-side tool call (paired with its `function_call` by `call_id`). Informational: never send it back.' })
export const ReasoningItem = z
  .object({ type: z.literal('reasoning'), id: z.string(), summary: empty(), content: z.array(ReasoningText), status: ItemStatus })
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
    type: z.string().nullable().meta({ description: 'Runyard\'s run error code: `llm`, `tool`, `sandbox`, `timeout`, `worker_lost` or `internal`.' }),
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
    output_text: z.string().meta({ description: 'All `output_text` parts of the output messages, concatenated (equals the concatenated `response.output_text.delta`s).' }),
    usage: ResponseUsage,
    error: ResponseErrorObject.nullable(),
    incomplete_details: z.null(),
    instructions: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    previous_response_id: z.string().nullable(),
    store: z.boolean(),
    parallel_tool_calls: z.boolean(),
    tool_choice: z.literal('auto'),
    tools: empty(),
    temperature: z.null(),
    top_p: z.null(),
    max_output_tokens: z.null(),
    truncation: z.literal('disabled'),
    text: z.object({ format: z.object({ type: z.literal('text') }) }),
    reasoning: z.null(),
    access_programs: z.null(),
    x_runyard: z
      .object({ run_id: z.string(), session_id: z.string(), chat_id: z.string() })
      .meta({ description: 'Runyard extension: the run behind this response, usable on the other surfaces (console, `/api/chat/runs/{runId}`).' }),
  })
  .meta({ id: 'Response', description: 'A response: the Responses API view of one Runyard run.' })
export type ResponseObject = z.infer<typeof ResponseObject>

export const DeletedResponse = z
  .object({ id: z.string(), object: z.literal('response.deleted'), deleted: z.literal(true) })
  .meta({ id: 'DeletedResponse' })

export const InputItem = z
  .union([
    z.object({
      type: z.literal('message'),
      id: z.string(),
      role: z.enum(['user', 'system', 'developer']),
      status: z.literal('completed'),
      content: z.array(z.object({ type: z.literal('input_text'), text: z.string() })),
    }),
    OutputMessageItem,
  ])
  .meta({ id: 'ResponsesInputItem' })
export type InputItem = z.infer<typeof InputItem>

export const InputItemList = z
  .object({ object: z.literal('list'), data: z.array(InputItem), first_id: z.string().nullable(), last_id: z.string().nullable(), has_more: z.boolean() })
  .meta({ id: 'ResponsesInputItemList' })

// ---------------------------------------------------------------------------------------------
// Stream events

const seq = { sequence_number: z.number().int().nonnegative() }
const withResponse = <T extends string>(type: T) => z.object({ type: z.literal(type), response: ResponseObject, ...seq })
const at = { item_id: z.string(), output_index: z.number().int() }

export const StreamEvent = z
  .discriminatedUnion('type', [
    withResponse('response.created'),
    withResponse('response.in_progress'),
    withResponse('response.completed'),
    withResponse('response.failed'),
    withResponse('response.incomplete'),
    withResponse('response.cancelled'),
    z.object({ type: z.literal('response.output_item.added'), output_index: z.number().int(), item: OutputItem, ...seq }),
    z.object({ type: z.literal('response.output_item.done'), output_index: z.number().int(), item: OutputItem, ...seq }),
    z.object({ type: z.literal('response.content_part.added'), ...at, content_index: z.number().int(), part: z.union([OutputText, ReasoningText]), ...seq }),
    z.object({ type: z.literal('response.content_part.done'), ...at, content_index: z.number().int(), part: z.union([OutputText, ReasoningText]), ...seq }),
    z.object({ type: z.literal('response.output_text.delta'), ...at, content_index: z.number().int(), delta: z.string(), logprobs: empty(), ...seq }),
    z.object({ type: z.literal('response.output_text.done'), ...at, content_index: z.number().int(), text: z.string(), logprobs: empty(), ...seq }),
    z.object({ type: z.literal('response.reasoning_text.delta'), ...at, content_index: z.number().int(), delta: z.string(), ...seq }),
    z.object({ type: z.literal('response.reasoning_text.done'), ...at, content_index: z.number().int(), text: z.string(), ...seq }),
    z.object({ type: z.literal('response.function_call_arguments.delta'), ...at, delta: z.string(), ...seq }),
    z.object({ type: z.literal('response.function_call_arguments.done'), ...at, name: z.string(), arguments: z.string(), ...seq }),
    z.object({ type: z.literal('error'), code: z.string().nullable(), message: z.string(), param: z.string().nullable(), ...seq }),
  ])
  .meta({ id: 'ResponseStreamEvent', description: 'One server-sent event (`event: <type>`, `data: <this JSON>`).' })
export type StreamEvent = z.infer<typeof StreamEvent>

// The request of `POST /v1/responses` (OpenAI's field names). Unknown fields are ignored, as by
// OpenAI-compatible servers; known ones are checked.
import { MAX_PART_TEXT } from '@runyard/contract'
import { z } from 'zod'

/** Longest image or file URL (data URLs are capped by the 10 MiB request limit instead). */
const MAX_URL = 8_192

export const InputContentPart = z
  .object({
    type: z.string().meta({
      description: '`input_text`, `input_image` or `input_file` (user, system, developer); `output_text` (assistant).',
    }),
    text: z.string().max(MAX_PART_TEXT).optional(),
    image_url: z
      .string()
      .nullable()
      .optional()
      .meta({ description: '`input_image`: an http(s) URL or a `data:image/…;base64,` URL.' }),
    detail: z
      .enum(['low', 'high', 'auto'])
      .optional()
      .meta({ description: '`input_image`: the detail level the model sees it at (default `auto`).' }),
    file_data: z.string().optional().meta({
      description:
        '`input_file`: the file as base64, or a `data:<type>;base64,` URL. With plain base64, `filename` gives the type.',
    }),
    file_url: z.string().max(MAX_URL).optional().meta({ description: '`input_file`: an http(s) URL of the file.' }),
    filename: z.string().max(255).optional(),
    file_id: z
      .string()
      .optional()
      .meta({ description: 'Not supported (Runyard has no Files API): send `file_data` or `file_url`.' }),
  })
  .meta({ id: 'ResponsesInputContentPart' })
export type InputContentPart = z.infer<typeof InputContentPart>

const itemMeta = { id: z.string().max(200).optional(), status: z.string().optional() }

export const InputMessageItem = z
  .object({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string().max(MAX_PART_TEXT), z.array(InputContentPart).min(1).max(100)]),
    ...itemMeta,
  })
  .meta({
    id: 'ResponsesInputMessage',
    description: 'One input message. `system`/`developer` messages are kept in the transcript as system messages.',
  })

const callId = z.string().min(1).max(200)

export const FunctionCallInputItem = z
  .object({
    type: z.literal('function_call'),
    call_id: callId,
    name: z.string().min(1).max(200),
    arguments: z.string().max(MAX_PART_TEXT).meta({ description: "The call's arguments, a JSON string." }),
    ...itemMeta,
  })
  .meta({
    id: 'ResponsesFunctionCallInput',
    description: "A call the model made to one of the client's tools (sent back inline with its output).",
  })

export const FunctionCallOutputInputItem = z
  .object({
    type: z.literal('function_call_output'),
    call_id: callId,
    output: z
      .union([z.string().max(MAX_PART_TEXT), z.array(InputContentPart).max(100)])
      .meta({ description: "What the client's tool returned." }),
    ...itemMeta,
  })
  .meta({
    id: 'ResponsesFunctionCallOutputInput',
    description:
      'The output of a client tool call: of a `function_call` earlier in this `input`, or of the pending call of the conversation `previous_response_id` continues.',
  })

export const ReasoningInputItem = z
  .object({ type: z.literal('reasoning') })
  .loose()
  .meta({
    id: 'ResponsesReasoningInput',
    description: 'A reasoning item sent back with the history: accepted and not shown to the model again.',
  })

export const InputItemParam = z
  .union([FunctionCallInputItem, FunctionCallOutputInputItem, ReasoningInputItem, InputMessageItem])
  .meta({ id: 'ResponsesInputItemParam' })
export type InputItemParam = z.infer<typeof InputItemParam>

export const FunctionToolParam = z
  .object({
    type: z.literal('function'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'),
    description: z.string().max(4_000).nullable().optional(),
    parameters: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .meta({ description: "The arguments' JSON Schema (default: an object with no properties)." }),
    strict: z.boolean().nullable().optional(),
  })
  .meta({
    id: 'ResponsesFunctionTool',
    description:
      'A tool the client runs itself. When the model calls it, the response ends with a `function_call` item; send its `function_call_output` to continue.',
  })
export type FunctionToolParam = z.infer<typeof FunctionToolParam>

export const ToolChoiceParam = z
  .union([
    z.enum(['none', 'auto', 'required']),
    z.object({ type: z.literal('function'), name: z.string().min(1).max(64) }),
  ])
  .meta({
    id: 'ResponsesToolChoice',
    description:
      '`auto` (default), `none`, `required`, or `{type:"function", name}` to make the model call that client tool.',
  })

const Metadata = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'metadata may have at most 16 keys')
  .meta({
    id: 'ResponsesMetadata',
    description: 'Up to 16 string key/value pairs (keys ≤ 64 chars, values ≤ 512 chars), returned as given.',
  })

export const ReasoningParam = z
  .object({
    effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
    summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
  })
  .meta({ id: 'ResponsesReasoningConfig', description: 'Accepted and reported.' })

export const ServiceTier = z
  .enum(['auto', 'default', 'flex', 'scale', 'priority'])
  .meta({ id: 'ResponsesServiceTier', description: 'Accepted and reported (Runyard has one tier).' })

const number = (min: number, max: number) => z.number().min(min).max(max).nullable().optional()

export const CreateResponseBody = z
  .object({
    model: z.string().min(1).max(200).meta({
      description:
        '`"default"` (the server\'s configured model) or any model id the server knows. Unknown models answer 400 with `param: "model"`.',
    }),
    input: z.union([z.string().max(MAX_PART_TEXT), z.array(InputItemParam).min(1).max(1_000)]).meta({
      description:
        "A string (the user turn), or input items: messages (text, `input_image`, `input_file`), and `function_call` / `function_call_output` items of the client's tools. It needs a user message or a `function_call_output`.",
    }),
    instructions: z.string().max(MAX_PART_TEXT).nullable().optional().meta({
      description: 'Extra system instructions for this response only (not carried over by `previous_response_id`).',
    }),
    stream: z.boolean().nullable().optional().meta({
      description:
        '`true`: answer with server-sent events (Open Responses event names, increasing `sequence_number`, ending with `data: [DONE]`).',
    }),
    background: z.boolean().nullable().optional().meta({
      description:
        '`true`: answer at once with status `queued`; the run continues on the engine. Poll, stream or cancel it by id.',
    }),
    store: z.boolean().nullable().optional().meta({
      description:
        'Default `true`. `false`: the response id is not registered, so it cannot be retrieved, cancelled, deleted or continued later (not allowed with `background`).',
    }),
    previous_response_id: z.string().max(200).nullable().optional().meta({
      description:
        'Continue the conversation of this response (the same chat: the agent sees every earlier turn). Unknown or not owned: 404 `previous_response_not_found`.',
    }),
    metadata: Metadata.nullable().optional(),
    x_context: z.record(z.string(), z.unknown()).nullable().optional().meta({
      description:
        "Structured, machine-readable context for this turn (Runyard extension). It is prepended to the user message as one readable line, e.g. `[Context: notification_response — notification_id: msg_123, action: approved]`, and stored in that message's `metadata.x_context`.",
    }),
    tools: z.array(FunctionToolParam).max(128).nullable().optional().meta({
      description:
        "The client's own `function` tools, offered to the model beside the agent's server-side tools (names must differ from those).",
    }),
    tool_choice: ToolChoiceParam.nullable().optional(),
    parallel_tool_calls: z
      .boolean()
      .nullable()
      .optional()
      .meta({ description: 'Whether the model may call several tools in one step.' }),
    temperature: number(0, 2),
    top_p: number(0, 1),
    max_output_tokens: z.number().int().min(1).nullable().optional(),
    presence_penalty: number(-2, 2),
    frequency_penalty: number(-2, 2),
    top_logprobs: z
      .number()
      .int()
      .min(0)
      .max(20)
      .nullable()
      .optional()
      .meta({ description: 'Accepted and reported; Runyard returns no log probabilities.' }),
    max_tool_calls: z.number().int().min(1).nullable().optional().meta({
      description: "Accepted and reported; the agent's step budget (`RUNYARD_MAX_STEPS`) bounds its tool calls.",
    }),
    service_tier: ServiceTier.nullable().optional(),
    safety_identifier: z.string().max(64).nullable().optional(),
    prompt_cache_key: z.string().max(64).nullable().optional(),
    truncation: z.enum(['auto', 'disabled']).nullable().optional(),
    text: z
      .object({ format: z.object({ type: z.literal('text') }).optional() })
      .nullable()
      .optional()
      .meta({ description: 'Only text output (`{format:{type:"text"}}`).' }),
    reasoning: ReasoningParam.nullable().optional(),
  })
  .meta({ id: 'CreateResponseRequest', description: 'Other OpenAI request fields are accepted and ignored.' })
export type CreateResponseBody = z.infer<typeof CreateResponseBody>

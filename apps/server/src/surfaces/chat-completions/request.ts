// The request of `POST /v1/chat/completions` (OpenAI's field names). Unknown fields are ignored;
// known ones are checked. Each request is a whole conversation: Chat Completions is stateless.
import { MAX_PART_TEXT } from '@runyard/contract'
import { z } from 'zod'
import { ReasoningParam } from '../responses/request.ts'

const ContentPart = z
  .object({
    type: z
      .enum(['text', 'image_url', 'file'])
      .meta({ description: '`text`, `image_url` or `file` (user messages); `text` elsewhere.' }),
    text: z.string().max(MAX_PART_TEXT).optional(),
    image_url: z.object({ url: z.string(), detail: z.enum(['low', 'high', 'auto']).optional() }).optional(),
    file: z
      .object({
        file_data: z.string().optional(),
        filename: z.string().max(255).optional(),
        file_id: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'ChatCompletionsContentPart' })
export type ContentPart = z.infer<typeof ContentPart>

const Content = z.union([z.string().max(MAX_PART_TEXT), z.array(ContentPart).max(100)])

export const ToolCallParam = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1).max(200), arguments: z.string().max(MAX_PART_TEXT) }),
})

export const ChatMessageParam = z
  .discriminatedUnion('role', [
    z.object({ role: z.literal('system'), content: Content, name: z.string().optional() }),
    z.object({ role: z.literal('developer'), content: Content, name: z.string().optional() }),
    z.object({ role: z.literal('user'), content: Content, name: z.string().optional() }),
    z.object({
      role: z.literal('assistant'),
      content: Content.nullable().optional(),
      tool_calls: z.array(ToolCallParam).max(128).optional(),
      name: z.string().optional(),
    }),
    z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string().min(1).max(200) }),
  ])
  .meta({ id: 'ChatCompletionsMessage' })
export type ChatMessageParam = z.infer<typeof ChatMessageParam>

export const ChatToolParam = z
  .object({
    type: z.literal('function'),
    function: z.object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'),
      description: z.string().max(4_000).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  })
  .meta({
    id: 'ChatCompletionsTool',
    description:
      'A tool the client runs itself: when the model calls it, the completion ends with `tool_calls` (`finish_reason: "tool_calls"`).',
  })

const number = (min: number, max: number) => z.number().min(min).max(max).nullable().optional()

export const ChatCompletionBody = z
  .object({
    model: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: '`"default"` or any model id the server knows (see GET /v1/models).' }),
    messages: z.array(ChatMessageParam).min(1).max(1_000),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    tools: z.array(ChatToolParam).max(128).nullable().optional(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }) }),
      ])
      .nullable()
      .optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    temperature: number(0, 2),
    top_p: number(0, 1),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    presence_penalty: number(-2, 2),
    frequency_penalty: number(-2, 2),
    n: z.literal(1).nullable().optional().meta({ description: 'Only 1 (one choice).' }),
    reasoning_effort: ReasoningParam.shape.effort,
  })
  .meta({ id: 'ChatCompletionRequest', description: 'Other OpenAI request fields are accepted and ignored.' })
export type ChatCompletionBody = z.infer<typeof ChatCompletionBody>

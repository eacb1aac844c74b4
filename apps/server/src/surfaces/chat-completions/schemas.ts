// What Chat Completions and the model list answer (OpenAI's shapes), for /openapi.json.
import { z } from 'zod'

export const ModelObject = z
  .object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })
  .meta({
    id: 'Model',
    description: 'A model agents run with (`owned_by`: its provider; `default` is the configured default).',
  })

export const ModelList = z.object({ object: z.literal('list'), data: z.array(ModelObject) }).meta({ id: 'ModelList' })

const ToolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
})
const FinishReason = z.enum(['stop', 'tool_calls'])
const Usage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int() }),
})

export const ChatCompletionObject = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z
      .array(
        z.object({
          index: z.literal(0),
          message: z.object({
            role: z.literal('assistant'),
            content: z.string().nullable(),
            refusal: z.null(),
            tool_calls: z.array(ToolCall).optional(),
          }),
          finish_reason: FinishReason,
          logprobs: z.null(),
        }),
      )
      .length(1),
    usage: Usage,
  })
  .meta({ id: 'ChatCompletion' })

export const ChatCompletionChunkObject = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion.chunk'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.literal(0),
        delta: z.object({
          role: z.literal('assistant').optional(),
          content: z.string().optional(),
          tool_calls: z.array(ToolCall.extend({ index: z.number().int() })).optional(),
        }),
        finish_reason: FinishReason.nullable(),
        logprobs: z.null(),
      }),
    ),
    usage: Usage.nullable().optional(),
  })
  .meta({ id: 'ChatCompletionChunk' })

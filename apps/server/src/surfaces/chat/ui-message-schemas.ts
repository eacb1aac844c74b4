// The AI SDK UI-message stream chunks that `UiMessageProjection` emits: the SSE frame schema of
// POST /api/chat and GET /api/chat/{chatId}/stream in /openapi.json. A subset of the AI SDK's
// `UIMessageChunk` (checked at compile time below), with the fields exactly as Runyard sends them.
import type { UIMessageChunk } from 'ai'
import { z } from 'zod'
import { OpaqueJson } from '../opaque-json.ts'

const partId = {
  id: z
    .string()
    .meta({ description: 'Part id, shared by the start, delta and end chunks of one text or reasoning part.' }),
}
const toolCallId = {
  toolCallId: z
    .string()
    .meta({ description: 'The tool call this chunk belongs to (`tool-input-available` announced it).' }),
}
const chunk = <T extends string, S extends z.ZodRawShape>(type: T, description: string, shape: S) =>
  z.strictObject({ type: z.literal(type), ...shape }).meta({ description })

export const UiMessageStreamChunk = z
  .discriminatedUnion('type', [
    chunk('start', "Opens the assistant message being built (first chunk of a run's stream).", {
      messageId: z.string(),
    }),
    chunk('start-step', 'A model step begins.', {}),
    chunk('text-start', 'A text part begins.', partId),
    chunk('text-delta', 'Text appended to the part.', { ...partId, delta: z.string() }),
    chunk('text-end', 'The text part is complete.', partId),
    chunk('reasoning-start', 'A reasoning part begins.', partId),
    chunk('reasoning-delta', 'Reasoning text appended to the part.', { ...partId, delta: z.string() }),
    chunk('reasoning-end', 'The reasoning part is complete.', partId),
    chunk('tool-input-available', 'A tool call with its complete input.', {
      ...toolCallId,
      toolName: z.string(),
      input: OpaqueJson,
    }),
    chunk('tool-output-available', "The tool call's result.", { ...toolCallId, output: z.string() }),
    chunk('tool-output-error', 'The tool call failed; `errorText` is its error output.', {
      ...toolCallId,
      errorText: z.string(),
    }),
    chunk('finish-step', 'The model step is complete.', {}),
    chunk(
      'reset-step',
      'The current step was interrupted (its worker was lost): drop the parts it added; the step is run again.',
      {},
    ),
    chunk('finish', 'The run completed.', { finishReason: z.literal('stop') }),
    chunk('error', 'The run failed: `<RunErrorCode>: <message>`.', { errorText: z.string() }),
    chunk('abort', 'The run was cancelled.', { reason: z.string() }),
  ])
  .meta({
    id: 'UIMessageChunk',
    description:
      'One AI SDK UI-message stream chunk (`x-vercel-ai-ui-message-stream: v1`) per SSE frame: `id: <run event seq>` + `data: <this JSON>`; all chunks projected from one run event share its seq. ' +
      'A run replayed from its start begins with `start`; a completed run ends with `finish`, a failed one with `error`, a cancelled one with `abort`. The stream is terminated by a last frame `data: [DONE]` (literal text, not JSON, no `id:`). ' +
      "These are the chunk types Runyard sends, a subset of the AI SDK's `UIMessageChunk`.",
  })

/** Fails to compile if a chunk declared above is not one the AI SDK's client reads. */
type AiSdkChunk<T extends UIMessageChunk> = T
export type UiMessageStreamChunk = AiSdkChunk<z.infer<typeof UiMessageStreamChunk>>

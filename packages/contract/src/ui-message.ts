// AI SDK `UIMessage` (ai@7) as a zod schema, so messages sent by clients are validated, not cast.
import { z } from 'zod'

const providerMetadata = z.record(z.string(), z.record(z.string(), z.unknown())).optional()
const partState = z.enum(['streaming', 'done']).optional()
const toolStates = [
  'input-streaming',
  'input-available',
  'approval-requested',
  'approval-responded',
  'output-available',
  'output-error',
  'output-denied',
] as const

/** Longest text of one part (the same cap as a prompt); a whole request is capped at 10 MiB. */
export const MAX_PART_TEXT = 200_000

const TextPart = z.object({
  type: z.literal('text'),
  text: z.string().max(MAX_PART_TEXT),
  state: partState,
  providerMetadata,
})
const ReasoningPart = z.object({
  type: z.literal('reasoning'),
  text: z.string().max(MAX_PART_TEXT),
  state: partState,
  providerMetadata,
})
const StepStartPart = z.object({ type: z.literal('step-start') })
const FilePart = z.object({
  type: z.literal('file'),
  mediaType: z.string().max(255),
  // http(s) URLs are fetched by the model provider, or by the server under the `fetch` tool's
  // address policy; nothing else (file:, ftp:…) may reach either.
  url: z.string().refine((u) => /^(https?:\/\/|data:)/i.test(u), 'must be an http(s) URL or a data: URL'),
  filename: z.string().optional(),
  providerMetadata,
})
const SourceUrlPart = z.object({
  type: z.literal('source-url'),
  sourceId: z.string(),
  url: z.string(),
  title: z.string().optional(),
  providerMetadata,
})
const SourceDocumentPart = z.object({
  type: z.literal('source-document'),
  sourceId: z.string(),
  mediaType: z.string(),
  title: z.string(),
  filename: z.string().optional(),
  providerMetadata,
})
const toolFields = {
  toolCallId: z.string().min(1),
  state: z.enum(toolStates),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  errorText: z.string().optional(),
  providerExecuted: z.boolean().optional(),
  title: z.string().optional(),
}
const ToolPart = z.object({ type: z.string().regex(/^tool-.+/, 'tool part types are `tool-<name>`'), ...toolFields })
const DynamicToolPart = z.object({ type: z.literal('dynamic-tool'), toolName: z.string().min(1), ...toolFields })
const DataPart = z.object({ type: z.string().regex(/^data-.+/), id: z.string().optional(), data: z.unknown() })

export const UIMessagePart = z
  .union([
    TextPart,
    ReasoningPart,
    StepStartPart,
    FilePart,
    SourceUrlPart,
    SourceDocumentPart,
    DynamicToolPart,
    ToolPart,
    DataPart,
  ])
  .meta({
    id: 'UIMessagePart',
    description: 'An AI SDK UIMessage part (text, reasoning, tool-<name>, step-start, file, source, data-<name>).',
  })
export type UIMessagePart = z.infer<typeof UIMessagePart>

export const UIMessage = z
  .object({
    id: z.string().min(1).max(200),
    role: z.enum(['system', 'user', 'assistant']),
    metadata: z.unknown().optional(),
    parts: z.array(UIMessagePart),
  })
  .meta({ id: 'UIMessage', description: 'AI SDK UIMessage (`ai` v7).' })
export type UIMessage = z.infer<typeof UIMessage>

export const UIMessages = z.array(UIMessage).min(1, 'messages must not be empty').max(1000)

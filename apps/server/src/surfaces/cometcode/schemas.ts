// CometCode Local Serve API wire schemas (seed 004): snake_case, epoch-ms timestamps, and strict
// objects wherever the seed says `additionalProperties: false`. Component ids are prefixed so
// they do not collide with the Recoup schemas in the same OpenAPI document.
import { absolutePath } from '@runyard/contract'
import { z } from 'zod'
import { OpaqueJson } from '../opaque-json.ts'

export const CometTokenUsage = z
  .strictObject({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cache_read: z.number().int(),
    cache_write: z.number().int(),
  })
  .meta({ id: 'CometCodeTokenUsage', description: 'Token totals.' })
export type CometTokenUsage = z.infer<typeof CometTokenUsage>

const epochMs = z.number().int().meta({ format: 'int64', description: 'Unix epoch milliseconds.' })

export const CometSession = z
  .strictObject({
    id: z.string(),
    workspace_id: z
      .string()
      .meta({ description: 'Empty for sessions created by other surfaces without a workspace (e.g. repo sessions).' }),
    workspace_path: z.string().meta({ description: 'Absolute path; empty when the session has no workspace.' }),
    title: z.string().meta({ description: 'Empty until the first message, which sets it.' }),
    model_id: z.string(),
    provider_id: z.string(),
    status: z
      .enum(['active', 'archived'])
      .meta({ description: '`archived` for archived sessions, `active` in every other lifecycle state.' }),
    token_usage: CometTokenUsage,
    created_at: epochMs,
    updated_at: epochMs,
  })
  .meta({
    id: 'CometCodeSession',
    example: {
      id: 'sess_01JABCDEF',
      workspace_id: 'ws_01JABCDEF',
      workspace_path: '/Users/tomlord/workspace/personal-project/cometline',
      title: '',
      model_id: 'claude-sonnet-4-5',
      provider_id: 'anthropic',
      status: 'active',
      token_usage: { input_tokens: 0, output_tokens: 0, cache_read: 0, cache_write: 0 },
      created_at: 1746880000000,
      updated_at: 1746880000000,
    },
  })
export type CometSession = z.infer<typeof CometSession>

export const CometDeletedSession = z
  .strictObject({ id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'CometCodeDeletedSession' })

const workspaceId = z.string().min(1).max(200).meta({ description: 'Registered workspace identifier.' })
const workspacePath = absolutePath.meta({ description: 'Absolute filesystem path for the workspace.' })

function exactlyOneWorkspace(v: { workspace_id?: string; workspace_path?: string }, ctx: z.RefinementCtx) {
  if ((v.workspace_id === undefined) === (v.workspace_path === undefined))
    ctx.addIssue({
      code: 'custom',
      message: 'give exactly one of workspace_id or workspace_path',
      path: ['workspace_id'],
    })
}

export const CometCreateSessionRequest = z
  .strictObject({
    workspace_id: workspaceId.optional(),
    workspace_path: workspacePath.optional(),
    model_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Optional model override; defaults to the server default.' }),
    provider_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "Optional provider override; defaults to the model's provider." }),
  })
  .superRefine(exactlyOneWorkspace)
  .meta({
    id: 'CometCodeCreateSessionRequest',
    description: 'Provide exactly one of `workspace_id` or `workspace_path`.',
  })

export const CometListSessionsQuery = z
  .strictObject({
    workspace_id: workspaceId.optional(),
    workspace_path: workspacePath.meta({ description: 'Absolute path of an already-registered workspace.' }).optional(),
  })
  .superRefine(exactlyOneWorkspace)

export const CometSessionList = z
  .strictObject({ sessions: z.array(CometSession) })
  .meta({ id: 'CometCodeSessionListResponse' })

export const CometSessionParams = z.object({ id: z.string().meta({ description: 'Session identifier (`sess_…`).' }) })

export const CometPostMessageRequest = z
  .strictObject({
    text: z
      .string()
      .min(1)
      .max(200_000)
      .refine((t) => t.trim().length > 0, 'text must not be blank')
      .meta({ description: 'Text-only user input (not blank).' }),
  })
  .meta({
    id: 'CometCodePostMessageRequest',
    example: { text: 'Inspect the server package and summarize the next change.' },
  })

export const CometTranscriptItem = z
  .strictObject({
    type: z.enum(['user', 'reasoning', 'assistant', 'tool']),
    text: z.string().optional().meta({ description: 'For `user`, `reasoning` and `assistant` items.' }),
    tool_name: z.string().optional(),
    tool_input: z.unknown().optional().meta({ description: 'Opaque JSON tool input.' }),
    tool_output: z.string().optional().meta({
      description: 'The recorded output as text (JSON-encoded when structured; the error text when it failed).',
    }),
    tool_error: z.boolean().optional(),
  })
  .meta({ id: 'CometCodeTranscriptItem' })
export type CometTranscriptItem = z.infer<typeof CometTranscriptItem>

export const CometTranscript = z.strictObject({ session_id: z.string(), items: z.array(CometTranscriptItem) }).meta({
  id: 'CometCodeTranscriptResponse',
  example: {
    session_id: 'sess_01JABCDEF',
    items: [
      { type: 'user', text: 'Inspect the entrypoint.' },
      { type: 'reasoning', text: 'I should inspect the entrypoint before changing the server wiring.' },
      {
        type: 'tool',
        tool_name: 'read_file',
        tool_input: { path: 'main.go' },
        tool_output: 'package main',
        tool_error: false,
      },
      { type: 'assistant', text: 'I found the serve command entrypoint.' },
    ],
  },
})

export const CometStatusResponse = z
  .strictObject({ status: z.string() })
  .meta({ id: 'CometCodeStatusResponse', example: { status: 'aborting' } })

/** One SSE `data:` frame of `POST /api/v1/sessions/{id}/message`. */
export const CometStreamEvent = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text_delta'), delta: z.string() }),
    z.strictObject({ type: z.literal('reasoning_start') }),
    z.strictObject({ type: z.literal('reasoning_delta'), text: z.string() }),
    z.strictObject({ type: z.literal('tool_call'), id: z.string(), tool: z.string(), input: OpaqueJson }),
    z.strictObject({ type: z.literal('tool_result'), id: z.string(), tool: z.string(), output: z.string() }),
    z.strictObject({ type: z.literal('step_finish'), usage: CometTokenUsage }),
    z.strictObject({ type: z.literal('error'), message: z.string(), code: z.string() }),
    z.strictObject({ type: z.literal('done') }),
  ])
  .meta({ id: 'CometCodeStreamEvent', description: 'One JSON event per SSE `data:` frame.' })
export type CometStreamEvent = z.infer<typeof CometStreamEvent>

// Request bodies shared by the surfaces. Unknown fields are stripped, not rejected, as the hosted
// Recoup API's schemas do: callers migrating from it send `artistId`, `organizationId`, `topic` or
// `roomId`. A misspelt known field still fails that field's own rule (e.g. "exactly one of").
import { z } from 'zod'
import { AccountId, ChatRef, SessionId, WorkspaceId } from './ids.ts'
import { SandboxType } from './entities.ts'
import { UIMessages } from './ui-message.ts'

export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/'), 'must be an absolute path')

export const CreateSessionInput = z
  .object({
    title: z.string().max(500).optional(),
    workspaceId: WorkspaceId.optional(),
    workspacePath: absolutePath.optional(),
    repoOwner: z.string().min(1).max(200).optional(),
    repoName: z.string().min(1).max(200).optional(),
    branch: z.string().min(1).max(500).optional(),
    isNewBranch: z.boolean().optional(),
    cloneUrl: z.url().max(2000).optional(),
    sandboxType: SandboxType.optional(),
    modelId: z.string().min(1).max(200).optional(),
    providerId: z.string().min(1).max(200).optional(),
    autoCommitPush: z.boolean().optional(),
    autoCreatePr: z.boolean().optional(),
    globalSkillRefs: z.array(z.string().min(1).max(500)).max(50).optional(),
  })
  .refine((v) => !(v.workspaceId && v.workspacePath), {
    message: 'give workspaceId or workspacePath, not both',
    path: ['workspaceId'],
  })
  .meta({ id: 'CreateSessionRequest' })
export type CreateSessionInput = z.infer<typeof CreateSessionInput>

export const IfBusy = z.enum(['reject', 'enqueue']).meta({
  id: 'IfBusy',
  description: '`reject` (default): 409 when the chat has an active run. `enqueue`: queue behind it.',
})

export const StartChatRunInput = z
  .object({
    prompt: z
      .string()
      .max(200_000)
      .optional()
      .meta({ description: 'Plain-text prompt (trimmed; must not be blank). Exactly one of prompt or messages.' }),
    messages: UIMessages.optional(),
    model: z.string().min(1).max(200).optional().meta({ description: 'Model id; the server default when omitted.' }),
    sessionId: SessionId.optional(),
    chatId: ChatRef.optional(),
    accountId: AccountId.optional().meta({ description: 'Act for this member account (org keys only).' }),
    ifBusy: IfBusy.optional(),
  })
  .superRefine((v, ctx) => {
    const hasPrompt = v.prompt !== undefined
    if (hasPrompt === (v.messages !== undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of prompt or messages', path: ['prompt'] })
    if (hasPrompt && !v.prompt!.trim())
      ctx.addIssue({ code: 'custom', message: 'prompt must not be blank', path: ['prompt'] })
  })
  .meta({ id: 'StartChatRunRequest' })
export type StartChatRunInput = z.infer<typeof StartChatRunInput>

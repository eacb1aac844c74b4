// Resources as the Recoup REST surface and tRPC return them (camelCase, ISO timestamps).
import { z } from 'zod'
import { AccountId, ApiKeyId, ChatId, RunId, SessionId, WorkspaceId } from './ids.ts'
import { RunErrorCode, RunStatus } from './events.ts'

const timestamp = z.string().meta({ format: 'date-time', example: '2026-11-23T10:00:00.000Z' })
const nullableTimestamp = timestamp.nullable()

export const ApiKeyKind = z.enum(['personal', 'org', 'ephemeral']).meta({ id: 'ApiKeyKind' })
export type ApiKeyKind = z.infer<typeof ApiKeyKind>

export const Account = z
  .object({
    id: AccountId,
    name: z.string(),
    kind: z.enum(['personal', 'org']),
    orgId: AccountId.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Account' })
export type Account = z.infer<typeof Account>

/** An API key as listed: the secret itself is never returned after creation. */
export const ApiKey = z
  .object({
    id: ApiKeyId,
    accountId: AccountId,
    name: z.string(),
    kind: ApiKeyKind,
    prefix: z.string().meta({ description: 'First characters of the secret, for recognising it' }),
    expiresAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    lastUsedAt: nullableTimestamp,
    runId: RunId.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'ApiKey' })
export type ApiKey = z.infer<typeof ApiKey>

export const CreatedApiKey = z
  .object({
    key: ApiKey,
    secret: z.string().meta({ description: 'The key itself. Shown once; only its hash is stored.' }),
  })
  .meta({ id: 'CreatedApiKey' })
export type CreatedApiKey = z.infer<typeof CreatedApiKey>

export const Workspace = z
  .object({ id: WorkspaceId, accountId: AccountId, path: z.string(), name: z.string(), createdAt: timestamp })
  .meta({ id: 'Workspace' })
export type Workspace = z.infer<typeof Workspace>

export const SANDBOX_TYPES = ['e2b', 'local', 'host', 'none'] as const
export const SandboxType = z.enum(SANDBOX_TYPES).meta({ id: 'SandboxType' })
export type SandboxType = z.infer<typeof SandboxType>

export const LIFECYCLE_STATES = [
  'provisioning',
  'active',
  'hibernating',
  'hibernated',
  'restoring',
  'archived',
  'failed',
] as const
export const LifecycleState = z.enum(LIFECYCLE_STATES).meta({ id: 'LifecycleState' })
export type LifecycleState = z.infer<typeof LifecycleState>

export const TokenUsage = z
  .object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cacheRead: z.number().int(),
    cacheWrite: z.number().int(),
  })
  .meta({ id: 'TokenUsage' })
export type TokenUsage = z.infer<typeof TokenUsage>

export const Session = z
  .object({
    id: SessionId,
    accountId: AccountId,
    userId: AccountId.meta({ description: 'Same as accountId; named userId for client compatibility.' }),
    title: z.string(),
    workspaceId: WorkspaceId.nullable(),
    workspacePath: z.string().nullable(),
    repoOwner: z.string().nullable(),
    repoName: z.string().nullable(),
    branch: z.string().nullable(),
    isNewBranch: z.boolean(),
    cloneUrl: z.string().nullable(),
    sandboxType: SandboxType,
    lifecycleState: LifecycleState,
    modelId: z.string(),
    providerId: z.string(),
    tokenUsage: TokenUsage,
    prNumber: z.number().int().nullable(),
    prStatus: z.string().nullable(),
    autoCommitPush: z.boolean(),
    autoCommitPushOverride: z.boolean().nullable(),
    autoCreatePr: z.boolean(),
    autoCreatePrOverride: z.boolean().nullable(),
    globalSkillRefs: z.array(z.string()),
    activeStreamId: z
      .string()
      .nullable()
      .meta({ description: 'Id of the run currently streaming in this session, if any.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Session' })
export type Session = z.infer<typeof Session>

export const Chat = z
  .object({
    id: ChatId,
    sessionId: SessionId,
    title: z.string(),
    clientId: z.string().nullable().meta({
      description: 'The id the client gave this chat (as `useChat` does), if any; usable wherever a chat id is.',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Chat' })
export type Chat = z.infer<typeof Chat>

export const RunKind = z.enum(['interactive', 'async', 'response']).meta({ id: 'RunKind' })
export type RunKind = z.infer<typeof RunKind>

export const RunError = z
  .object({ code: z.union([RunErrorCode, z.string()]), message: z.string() })
  .meta({ id: 'RunError' })
export type RunError = z.infer<typeof RunError>

/** A run's OpenTelemetry trace: every view of a run reports it with this schema. */
export const RunTraceId = z
  .string()
  .regex(/^[0-9a-f]{32}$/)
  .nullable()
  .meta({
    description:
      'The OpenTelemetry trace (W3C trace id) holding the spans of this run, from its admission through every execution attempt; null when tracing was off or the trace was not sampled.',
  })

export const Run = z
  .object({
    id: RunId,
    kind: RunKind,
    status: RunStatus,
    accountId: AccountId,
    chatId: ChatId,
    sessionId: SessionId,
    model: z.string(),
    attempt: z.number().int(),
    usage: TokenUsage,
    error: RunError.nullable(),
    responseId: z.string().nullable(),
    lastSeq: z.number().int(),
    traceId: RunTraceId,
    createdAt: timestamp,
    startedAt: nullableTimestamp,
    finishedAt: nullableTimestamp,
  })
  .meta({ id: 'Run' })
export type Run = z.infer<typeof Run>

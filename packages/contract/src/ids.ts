import { z } from 'zod'

/** Id prefixes of every resource; ids are `<prefix>_<26 char ULID-like>` (time-sortable). */
export const ID_PREFIXES = {
  account: 'acct',
  apiKey: 'key',
  workspace: 'ws',
  session: 'sess',
  chat: 'chat',
  message: 'msg',
  run: 'run',
  response: 'resp',
  webhookEndpoint: 'whep',
  /** One webhook message to one endpoint: its `webhook-id`, the same on every retry and redelivery. */
  webhookMessage: 'whmsg',
} as const
export type IdKind = keyof typeof ID_PREFIXES

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time (as Node's randomUUID does): one
 * call per 256 ids instead of one per id, which showed up in admission profiles. Ids are not
 * secrets (API key secrets take their bytes straight from the CSPRNG).
 */
const pool = new Uint8Array(4096)
let poolOffset = pool.length

function randomBytes16(): Uint8Array {
  if (poolOffset === pool.length) {
    globalThis.crypto.getRandomValues(pool)
    poolOffset = 0
  }
  poolOffset += 16
  return pool.subarray(poolOffset - 16, poolOffset)
}

function ulid(now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time
    t = Math.floor(t / 32)
  }
  const bytes = randomBytes16()
  let rand = ''
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32]
  return time + rand
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`
}

const idSchema = (kind: IdKind) =>
  z
    .string()
    .regex(new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{1,64}$`), `must be a ${kind} id (${ID_PREFIXES[kind]}_…)`)
    .meta({
      description: `${kind} id (\`${ID_PREFIXES[kind]}_…\`)`,
      example: `${ID_PREFIXES[kind]}_01JABCDEFGHJKMNPQRSTVWXYZ0`,
    })

export const AccountId = idSchema('account')

/**
 * How a client names a chat: its `chat_…` id, or an id of the client's own (the AI SDK's `useChat`
 * generates one before the server has seen the chat), unique within the account.
 */
export const ChatRef = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a chat id (chat_…) or a client chat id (1-128 letters, digits, "_" or "-")')
  .meta({
    description: 'A chat id (`chat_…`) or the id the client gave the chat (as `useChat` does).',
    example: 'chat_01JABCDEFGHJKMNPQRSTVWXYZ0',
  })
export const ApiKeyId = idSchema('apiKey')
export const WorkspaceId = idSchema('workspace')
export const SessionId = idSchema('session')
export const ChatId = idSchema('chat')
export const RunId = idSchema('run')
export const ResponseId = idSchema('response')
export const WebhookEndpointId = idSchema('webhookEndpoint')
export const WebhookMessageId = idSchema('webhookMessage')

export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{1,64}$`).test(value)
}

/** The assistant UIMessage a run writes: derived from the run id so every projection agrees. */
/** The id of the one assistant message a run writes: derived from the run id, so a resumed
 * attempt, a projection or a client that knows the run finds that same message. */
export const assistantMessageIdForRun = (runId: string): string =>
  `msg_${runId.replace(/^run_/, '').replace(/[^0-9A-Za-z]/g, '')}`

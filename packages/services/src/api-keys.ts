// Personal and org API keys: created and revoked by their account (or the CLI); the secret is
// returned once, only its hash is stored.
import { type ApiKey, type ApiKeyKind, type CreatedApiKey, newId, notFound } from '@runyard/contract'
import { newApiKeySecret, type ApiKey as ApiKeyRow, type Db, type PrismaClient } from '@runyard/db'

export function toApiKey(k: ApiKeyRow): ApiKey {
  return {
    id: k.id,
    accountId: k.accountId,
    name: k.name,
    kind: k.kind,
    prefix: k.prefix,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    runId: k.runId,
    createdAt: k.createdAt.toISOString(),
  }
}

export interface CreateKeyInput {
  accountId: string
  name: string
  kind: Exclude<ApiKeyKind, 'ephemeral'>
  expiresAt?: Date
}

export async function createApiKey(prisma: PrismaClient, input: CreateKeyInput): Promise<CreatedApiKey> {
  const { secret, prefix, hash } = newApiKeySecret(input.kind === 'org' ? 'org' : 'live')
  const row = await prisma.apiKey.create({
    data: {
      id: newId('apiKey'),
      accountId: input.accountId,
      name: input.name,
      kind: input.kind,
      prefix,
      hash,
      expiresAt: input.expiresAt ?? null,
    },
  })
  return { key: toApiKey(row), secret }
}

export async function listApiKeys(prisma: PrismaClient, accountId?: string): Promise<ApiKey[]> {
  const rows = await prisma.apiKey.findMany({
    where: { ...(accountId ? { accountId } : {}), kind: { not: 'ephemeral' } },
    orderBy: { createdAt: 'desc' },
  })
  return rows.map(toApiKey)
}

export async function revokeApiKey(prisma: PrismaClient, keyId: string, accountId?: string): Promise<ApiKey> {
  const key = await prisma.apiKey.findFirst({
    where: { id: keyId, ...(accountId ? { accountId } : {}), kind: { not: 'ephemeral' } },
  })
  if (!key) throw notFound('key_not_found', `API key ${keyId} was not found`)
  const row = key.revokedAt
    ? key
    : await prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } })
  return toApiKey(row)
}

/**
 * Whether a personal or org key was ever created, revoked and expired ones included: decides the
 * `auto` auth mode, so that revoking the last key does not reopen the server to anonymous callers.
 */
export async function anyKeyCreated(pool: Db['pool']): Promise<boolean> {
  // Plain SQL: run at every start before anything else needs Prisma (see ensureLocalAccount).
  const { rows } = await pool.query<{ created: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "ApiKey" WHERE "kind" IN ('personal', 'org')) AS "created"`,
  )
  return rows[0]!.created
}

/** What authenticating a secret reads: its key and, for a run's key, that run's session and rate-limited key. */
export interface KeyForAuth {
  id: string
  accountId: string
  kind: ApiKeyKind
  expiresAt: Date | null
  revokedAt: Date | null
  lastUsedAt: Date | null
  runId: string | null
  /** For a run's key: its run, or null when the run no longer exists. */
  run: { sessionId: string; rateKeyId: string | null } | null
}

// One prepared statement on the process's pool instead of two Prisma queries (the key, then its
// run): authentication runs on every request that sends a key, and a Prisma query costs more of
// the server's CPU than the statement's round trip. Nothing is cached: revocation and expiry are
// read on every request.
const KEY_BY_HASH = {
  name: 'runyard_auth_key_by_hash',
  text: `SELECT k.id, k."accountId", k.kind, k."expiresAt", k."revokedAt", k."lastUsedAt", k."runId",
    r.id AS "foundRunId", r."sessionId" AS "runSessionId", r."rateKeyId" AS "runRateKeyId"
  FROM "ApiKey" k LEFT JOIN "Run" r ON r.id = k."runId" WHERE k.hash = $1`,
}

/** The key whose secret hashes to `hash`, with its run (run keys), or null. */
export async function keyForAuth(pool: Db['pool'], hash: string): Promise<KeyForAuth | null> {
  const { rows } = await pool.query<
    Omit<KeyForAuth, 'run'> & { foundRunId: string | null; runSessionId: string | null; runRateKeyId: string | null }
  >({ ...KEY_BY_HASH, values: [hash] })
  const row = rows[0]
  if (!row) return null
  const { foundRunId, runSessionId, runRateKeyId, ...key } = row
  return { ...key, run: foundRunId ? { sessionId: runSessionId!, rateKeyId: runRateKeyId } : null }
}

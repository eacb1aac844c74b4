// Who is calling. `keys` mode: a valid key is required (x-api-key or Authorization: Bearer);
// `local` mode (loopback bind, no keys): callers without a key act as the implicit local account.
// Expiry and revocation are checked on every request. An `auto` server switches from local to
// keys as soon as any process creates the first personal or org key, and never switches back by
// itself (revoking every key must not reopen the server to anonymous callers).
import { AppError, forbidden, unauthorized, type ApiKey, type ApiKeyKind, type CreatedApiKey } from '@runyard/contract'
import { hashSecret, type Db, type PrismaClient } from '@runyard/db'
import { anyKeyCreated, createApiKey, keyForAuth, listApiKeys, revokeApiKey } from './api-keys.ts'
import { accountCaller, type Caller } from './caller.ts'

export type AuthMode = 'local' | 'keys'

/** How stale an `auto` server's knowledge of "a key exists" may be (the switch to keys takes at most this long). */
export const AUTH_MODE_RECHECK_MS = 500

export interface AuthContext extends Caller {
  keyId: string | null
  keyKind: ApiKeyKind | null
  /** Set for a run's ephemeral key (whose `sessionId` is that run's session). */
  runId: string | null
}

export class AuthService {
  private knownMode: AuthMode
  private checkedAt = Date.now()
  private checking: Promise<AuthMode> | undefined
  private readonly prisma: PrismaClient
  private readonly pool: Db['pool']

  constructor(
    db: Pick<Db, 'prisma' | 'pool'>,
    /** The mode decided at start-up; with `switchesToKeys`, `local` until a key is created. */
    initialMode: AuthMode,
    private readonly localAccountId: string,
    private readonly switchesToKeys = false,
  ) {
    this.prisma = db.prisma
    this.pool = db.pool
    this.knownMode = initialMode
  }

  /** The mode as last seen (see {@link currentMode}). */
  get mode(): AuthMode {
    return this.knownMode
  }

  /** The mode now: a local `auto` server looks again (at most every AUTH_MODE_RECHECK_MS) whether a key exists. */
  async currentMode(): Promise<AuthMode> {
    if (this.knownMode === 'keys' || !this.switchesToKeys || Date.now() - this.checkedAt < AUTH_MODE_RECHECK_MS)
      return this.knownMode
    this.checking ??= anyKeyCreated(this.pool)
      .then((created) => {
        this.checkedAt = Date.now()
        if (created) this.knownMode = 'keys'
        return this.knownMode
      })
      .finally(() => (this.checking = undefined))
    return this.checking
  }

  /** Resolves the caller from the secret sent with the request (undefined: none sent). */
  async authenticate(secret: string | undefined): Promise<AuthContext> {
    if (secret === undefined || secret === '') {
      if ((await this.currentMode()) === 'local')
        return { accountId: this.localAccountId, sessionId: null, keyId: null, keyKind: null, runId: null }
      throw unauthorized('An API key is required: send it as `x-api-key: <key>` or `Authorization: Bearer <key>`.')
    }
    const key = await keyForAuth(this.pool, hashSecret(secret))
    if (!key) {
      // As local OpenAI-compatible servers do with auth off: clients that must send some key
      // (the `openai` SDK refuses to start without one) work with any. A known key acts as itself.
      if ((await this.currentMode()) === 'local')
        return { accountId: this.localAccountId, sessionId: null, keyId: null, keyKind: null, runId: null }
      throw new AppError('unauthorized', 'invalid_api_key', 'Invalid API key.')
    }
    if (key.revokedAt) throw new AppError('unauthorized', 'invalid_api_key', 'This API key has been revoked.')
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now())
      throw new AppError('unauthorized', 'invalid_api_key', 'This API key has expired.')
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      // Throttled: a write per request would cost more than the information is worth.
      void this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {})
    }
    const run = key.run
    if (key.runId && !run)
      throw new AppError('unauthorized', 'invalid_api_key', 'This API key belonged to a run that no longer exists.')
    return {
      accountId: key.accountId,
      sessionId: run?.sessionId ?? null,
      rootKeyId: run?.rateKeyId ?? null,
      orgId: key.kind === 'org' ? key.accountId : null,
      keyId: key.id,
      keyKind: key.kind,
      runId: key.runId,
    }
  }

  /**
   * The account a request acts for: its own, or (org keys only) a member account named in the
   * body. Any other key naming an account gets 403, as does an org key naming a non-member.
   */
  async actingAccount(auth: AuthContext, requested: string | undefined): Promise<Caller> {
    if (!requested || requested === auth.accountId) return auth
    if (auth.keyKind !== 'org') throw forbidden('Only org API keys may act for another account (`accountId`).')
    const member = await this.prisma.account.findFirst({ where: { id: requested, orgId: auth.accountId } })
    if (!member) throw forbidden(`Account ${requested} is not a member of this organisation.`)
    return { ...accountCaller(requested), surface: auth.surface, keyId: auth.keyId }
  }

  // Key management for the caller's own account (tRPC `keys.*`, the console). Run keys
  // (ephemeral) may not manage keys: an agent could otherwise mint itself a key that outlives
  // its run.
  listKeys(auth: AuthContext): Promise<ApiKey[]> {
    this.assertCanManageKeys(auth)
    return listApiKeys(this.prisma, auth.accountId)
  }

  createKey(auth: AuthContext, input: { name: string; expiresAt?: Date }): Promise<CreatedApiKey> {
    this.assertCanManageKeys(auth)
    return createApiKey(this.prisma, {
      accountId: auth.accountId,
      name: input.name,
      kind: 'personal',
      expiresAt: input.expiresAt,
    })
  }

  revokeKey(auth: AuthContext, keyId: string): Promise<ApiKey> {
    this.assertCanManageKeys(auth)
    return revokeApiKey(this.prisma, keyId, auth.accountId)
  }

  private assertCanManageKeys(auth: AuthContext): void {
    if (auth.keyKind === 'ephemeral') throw forbidden('Run keys cannot manage API keys.')
  }
}

/** Reads the key from `x-api-key` or `Authorization: Bearer`. */
export function secretFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key']
  if (typeof direct === 'string' && direct.trim()) return direct.trim()
  const authz = headers.authorization
  if (typeof authz === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(authz.trim())
    if (m) return m[1]!.trim()
  }
  return undefined
}

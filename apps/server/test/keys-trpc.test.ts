// tRPC `keys.*` (used by the console): an account lists, creates and revokes only its own keys;
// the secret is returned once; run (ephemeral) keys are never listed and cannot manage keys.
import type { AppRouter } from '@runyard/api'
import { createTRPCClient, httpLink, TRPCClientError, type TRPCClient } from '@trpc/client'
import { newApiKeySecret } from '@runyard/db'
import { createTestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

let s: TestServer
const secrets: Record<'a' | 'b' | 'run', string> = { a: '', b: '', run: '' }

function client(key?: string): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${s.url}/trpc`, headers: key ? { 'x-api-key': key } : {} })],
  })
}

/** The tRPC error code of a failed call (e.g. 'FORBIDDEN'). */
async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call
    return undefined
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code
    throw err
  }
}

beforeAll(async () => {
  const testDb = await createTestDb()
  Object.assign(secrets, await seedTwoAccounts(testDb, '-admin'))
  // A run key of account A, as the engine mints them (kind ephemeral).
  const run = newApiKeySecret('run')
  await testDb.prisma.apiKey.create({
    data: {
      id: 'key_runkeyofa',
      accountId: 'acct_a',
      name: 'run',
      kind: 'ephemeral',
      prefix: run.prefix,
      hash: run.hash,
      expiresAt: new Date(Date.now() + 60_000),
    },
  })
  secrets.run = run.secret
  s = await startTestServer({ testDb })
})
afterAll(async () => {
  await s.stop()
  await s.testDb.drop()
})

describe('tRPC keys', () => {
  it('requires a key in keys mode (which system.health tells without one)', async () => {
    expect(s.authMode).toBe('keys')
    expect(await client().system.health.query()).toEqual({ status: 'ok', authMode: 'keys' })
    expect(await codeOf(client().keys.list.query())).toBe('UNAUTHORIZED')
  })

  it('lists only the caller account’s own keys, never ephemeral ones, never secrets or hashes', async () => {
    const listA = await client(secrets.a).keys.list.query()
    expect(listA.map((k) => k.name)).toEqual(['a-admin'])
    expect(listA.every((k) => k.accountId === 'acct_a' && k.kind !== 'ephemeral')).toBe(true)
    expect(JSON.stringify(listA)).not.toContain(secrets.a)
    expect(listA[0]).not.toHaveProperty('hash')
    expect((await client(secrets.b).keys.list.query()).map((k) => k.name)).toEqual(['b-admin'])
  })

  it('creates a personal key whose secret is shown once and works', async () => {
    const created = await client(secrets.a).keys.create.mutate({ name: '  ci  ' })
    expect(created.key).toMatchObject({ accountId: 'acct_a', name: 'ci', kind: 'personal', revokedAt: null })
    expect(created.secret.startsWith(created.key.prefix)).toBe(true)
    // the new key acts for account A
    expect((await client(created.secret).system.info.query()).accountId).toBe('acct_a')
    // listed afterwards without its secret
    const listed = await client(secrets.a).keys.list.query()
    expect(listed.map((k) => k.id)).toContain(created.key.id)
    expect(JSON.stringify(listed)).not.toContain(created.secret)
  })

  it('creates a key with an expiry and rejects bad input', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString()
    const created = await client(secrets.a).keys.create.mutate({ name: 'tomorrow', expiresAt })
    expect(created.key.expiresAt).toBe(expiresAt)
    const a = client(secrets.a)
    expect(await codeOf(a.keys.create.mutate({ name: '   ' }))).toBe('BAD_REQUEST')
    expect(
      await codeOf(a.keys.create.mutate({ name: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() })),
    ).toBe('BAD_REQUEST')
    expect(await codeOf(a.keys.create.mutate({ name: 'x', kind: 'org' } as never))).toBe('BAD_REQUEST')
    expect(await codeOf(a.keys.revoke.mutate({ keyId: 'not-a-key' }))).toBe('BAD_REQUEST')
  })

  it('revokes its own key (then it gets 401), idempotently', async () => {
    const a = client(secrets.a)
    const created = await a.keys.create.mutate({ name: 'short-lived' })
    const revoked = await a.keys.revoke.mutate({ keyId: created.key.id })
    expect(revoked.revokedAt).not.toBeNull()
    expect(await codeOf(client(created.secret).sessions.list.query())).toBe('UNAUTHORIZED')
    expect((await a.keys.revoke.mutate({ keyId: created.key.id })).revokedAt).toBe(revoked.revokedAt)
  })

  it('cannot revoke or see another account’s key (404), nor ephemeral keys', async () => {
    const keyOfB = (await client(secrets.b).keys.list.query())[0]!
    expect(await codeOf(client(secrets.a).keys.revoke.mutate({ keyId: keyOfB.id }))).toBe('NOT_FOUND')
    expect(await codeOf(client(secrets.a).keys.revoke.mutate({ keyId: 'key_runkeyofa' }))).toBe('NOT_FOUND')
    expect((await client(secrets.b).keys.list.query())[0]!.revokedAt).toBeNull()
  })

  it('refuses key management to run (ephemeral) keys', async () => {
    const run = client(secrets.run)
    expect((await run.system.info.query()).accountId).toBe('acct_a')
    expect(await codeOf(run.keys.list.query())).toBe('FORBIDDEN')
    expect(await codeOf(run.keys.create.mutate({ name: 'escape' }))).toBe('FORBIDDEN')
    expect(await s.db.prisma.apiKey.count({ where: { name: 'escape' } })).toBe(0)
  })
})

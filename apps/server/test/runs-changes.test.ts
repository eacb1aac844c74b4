// tRPC `runs.changes` (the console's live run list): every change of the caller's runs arrives,
// none of another account's, and a long-lived subscription does not pile listeners onto its signal.
import { createApiKey } from '@runyard/services'
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client'
import { EventSource } from 'eventsource'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { AppRouter } from '@runyard/api'
import { startTestServer, type TestServer } from './support/server.ts'

let s: TestServer
const keys = { a: '', b: '' }
const warnings: Error[] = []
const onWarning = (w: Error) => void warnings.push(w)

beforeAll(async () => {
  s = await startTestServer()
  await s.testDb.prisma.account.createMany({
    data: [
      { id: 'acct_a', name: 'a' },
      { id: 'acct_b', name: 'b' },
    ],
  })
  keys.a = (await createApiKey(s.testDb.prisma, { accountId: 'acct_a', name: 'a', kind: 'personal' })).secret
  keys.b = (await createApiKey(s.testDb.prisma, { accountId: 'acct_b', name: 'b', kind: 'personal' })).secret
  process.on('warning', onWarning)
})
afterAll(async () => {
  process.off('warning', onWarning)
  await s.stop()
})

const client = (key: string) => {
  const headers = { 'x-api-key': key }
  const fetchWithKey: typeof fetch = (input, init) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } })
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // eventsource lets Node send the key header with the SSE request
        true: httpSubscriptionLink({
          url: `${s.url}/trpc`,
          EventSource,
          eventSourceOptions: () => ({ fetch: fetchWithKey }),
        }),
        false: httpBatchLink({ url: `${s.url}/trpc`, headers }),
      }),
    ],
  })
}

it('streams the status changes of the caller’s runs only, for as long as it is open', async () => {
  const runs = 15
  const seen = new Map<string, string[]>()
  let done!: () => void
  const allCompleted = new Promise<void>((r) => (done = r))
  const started: string[] = []
  let connected!: () => void
  const ready = new Promise<void>((r) => (connected = r))
  const sub = client(keys.a).runs.changes.subscribe(undefined, {
    onStarted: () => connected(),
    onData: (c) => {
      seen.set(c.runId, [...(seen.get(c.runId) ?? []), c.status])
      if (started.length === runs && started.every((id) => seen.get(id)?.includes('completed'))) done()
    },
    onError: (err) => {
      throw err
    },
  })
  await ready
  const other = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'hi' }, key: keys.b })
  for (let i = 0; i < runs; i++) {
    const res = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: `run ${i}` }, key: keys.a })
    expect(res.status).toBe(202)
    started.push(res.body.runId)
  }
  await allCompleted
  sub.unsubscribe()

  for (const id of started) expect(seen.get(id)).toContain('completed')
  expect(seen.has(other.body.runId)).toBe(false)
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
})

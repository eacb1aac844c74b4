// Resumable streams: a client that disconnects at random points and reconnects with its last id
// gets exactly the uninterrupted sequence — from another server process, and after a restart.
import { collectSse, scriptPrompt, type SseFrame } from '@runyard/testkit'
import { createTRPCClient, httpSubscriptionLink, splitLink, httpBatchLink } from '@trpc/client'
import { EventSource } from 'eventsource'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppRouter } from '@runyard/api'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { startTestServer, type TestServer } from './support/server.ts'

/** Small deterministic PRNG so a failing cut sequence can be replayed (seed is in the test name). */
function prng(seed: number) {
  let x = seed
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

const SLOW_RUN = scriptPrompt([
  { reasoning: 'plan' },
  { text: 'abcdefghijklmnopqrstuvwxyz0123456789', chunks: 36, delayMs: 25 },
  { step: { input: 3, output: 9 } },
])

let a: TestServer
let b: RunyardProcess
beforeAll(async () => {
  a = await startTestServer()
  // An API-only process on the same database: it executes nothing, it only serves streams.
  b = await spawnRunyard('start', { DATABASE_URL: a.db.url, RUNYARD_PORT: '0', RUNYARD_WORKERS: 'false' })
})
afterAll(async () => {
  await b?.stop()
  await a?.stop()
})

const eventsUrl = (base: string, runId: string) => `${base}/api/chat/runs/${runId}/events`

describe('SSE resume with Last-Event-ID', () => {
  for (const seed of [7, 42, 1234]) {
    it(`reassembles the uninterrupted log across processes and a restart (seed ${seed})`, async () => {
      const rand = prng(seed)
      const started = await a.api('/api/chat/runs', { method: 'POST', json: { prompt: SLOW_RUN } })
      const runId: string = started.body.runId
      const received: SseFrame[] = []
      let last = 0
      let hop = 0
      while (!received.some((f) => JSON.parse(f.data).event.type === 'done')) {
        const target = last + 1 + Math.floor(rand() * 8)
        if (hop === 3) {
          // restart the other process in the middle of the run
          await b.stop()
          b = await spawnRunyard('start', { DATABASE_URL: a.db.url, RUNYARD_PORT: '0', RUNYARD_WORKERS: 'false' })
        }
        const part = await collectSse(
          eventsUrl(hop % 2 === 0 ? a.url : b.url, runId),
          { headers: last ? { 'last-event-id': String(last) } : {} },
          (f) => Number(f.id) >= target,
        )
        received.push(...part.frames)
        if (part.frames.length) last = Number(part.frames.at(-1)!.id)
        hop++
      }
      const uninterrupted = await collectSse(eventsUrl(a.url, runId))
      expect(received.map((f) => f.id)).toEqual(uninterrupted.frames.map((f) => f.id))
      expect(received.map((f) => f.data)).toEqual(uninterrupted.frames.map((f) => f.data))
      expect(received.map((f) => Number(f.id))).toEqual(received.map((_, i) => i + 1))
      expect(hop).toBeGreaterThan(3)
    })
  }
})

describe('tRPC resume with lastEventId', () => {
  const client = (url: string) =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: `${url}/trpc`, EventSource }),
          false: httpBatchLink({ url: `${url}/trpc` }),
        }),
      ],
    })

  const take = (url: string, runId: string, lastEventId: string | null, stopAt: number) =>
    new Promise<{ id: string; data: string }[]>((resolve, reject) => {
      const got: { id: string; data: string }[] = []
      const sub = client(url).runs.events.subscribe(
        { runId, lastEventId },
        {
          onData: (d) => {
            got.push({ id: d.id, data: JSON.stringify(d.data) })
            if (Number(d.id) >= stopAt || d.data.event.type === 'done') {
              sub.unsubscribe()
              resolve(got)
            }
          },
          onError: reject,
        },
      )
    })

  it('alternating processes, random cut points, a restart in between', async () => {
    const rand = prng(99)
    const started = await a.api('/api/chat/runs', { method: 'POST', json: { prompt: SLOW_RUN } })
    const runId: string = started.body.runId
    const got: { id: string; data: string }[] = []
    let hop = 0
    while (!got.some((g) => JSON.parse(g.data).event.type === 'done')) {
      if (hop === 2) {
        await b.stop()
        b = await spawnRunyard('start', { DATABASE_URL: a.db.url, RUNYARD_PORT: '0', RUNYARD_WORKERS: 'false' })
      }
      const last = got.length ? Number(got.at(-1)!.id) : 0
      got.push(
        ...(await take(
          hop % 2 === 0 ? b.url : a.url,
          runId,
          last ? String(last) : null,
          last + 1 + Math.floor(rand() * 10),
        )),
      )
      hop++
    }
    const full = await take(a.url, runId, null, Number.MAX_SAFE_INTEGER)
    expect(got).toEqual(full)
    expect(got.map((g) => Number(g.id))).toEqual(got.map((_, i) => i + 1))
  })
})

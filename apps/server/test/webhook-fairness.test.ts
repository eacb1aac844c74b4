// Webhook senders are shared by every account of a worker process: an account whose endpoint is
// slow (each attempt may take the whole request timeout) must not hold all of them. Account A's
// receiver holds every request open until the test lets go; while it holds A's attempts, account
// B's message is still delivered, A never has more than RUNYARD_WEBHOOK_CONCURRENCY_PER_ACCOUNT
// attempts open, and a redelivery of a message whose attempt is in flight is refused (409).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestDb, ScriptedExecutor, scriptPrompt } from '@runyard/testkit'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { until } from './support/responses.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

/** Answers `/fast` at once; holds `/slow` requests until {@link release}. */
class HoldingReceiver {
  readonly held: http.ServerResponse[] = []
  /** Bodies received, by path. */
  readonly received: Record<string, string[]> = { '/slow': [], '/fast': [] }
  /** Most `/slow` requests open at once. */
  maxHeld = 0
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      ;(this.received[path] ??= []).push(Buffer.concat(chunks).toString('utf8'))
      if (path !== '/slow') return void res.writeHead(200).end('ok')
      this.held.push(res)
      this.maxHeld = Math.max(this.maxHeld, this.openHeld())
    })
  })
  port = 0

  openHeld(): number {
    return this.held.filter((r) => !r.writableEnded && !r.destroyed).length
  }
  release(): void {
    for (const res of this.held.splice(0)) if (!res.writableEnded) res.writeHead(200).end('ok')
  }
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }
  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`
  }
  async stop() {
    this.release()
    this.server.closeAllConnections()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

const receiver = new HoldingReceiver()
let s: TestServer
let keys: { a: string; b: string }

beforeAll(async () => {
  await receiver.start()
  const testDb = await createTestDb()
  keys = await seedTwoAccounts(testDb)
  s = await startTestServer({
    testDb,
    executor: new ScriptedExecutor(),
    env: { RUNYARD_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, RUNYARD_WEBHOOK_CONCURRENCY_PER_ACCOUNT: '2' },
  })
})

afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
  await receiver.stop()
})

async function endpoint(key: string, path: string): Promise<string> {
  const r = await s.api('/api/webhooks', { method: 'POST', key, json: { url: receiver.url(path) } })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.endpoint.id as string
}

async function finishedRun(key: string): Promise<string> {
  const r = await s.api('/api/chat/runs', { method: 'POST', key, json: { prompt: scriptPrompt([{ text: 'done' }]) } })
  expect(r.status).toBe(202)
  return r.body.runId as string
}

it("one account's slow endpoint holds at most its share of the senders; another account's message goes out meanwhile", async () => {
  const slow = await endpoint(keys.a, '/slow')
  await endpoint(keys.b, '/fast')
  // four messages for A: enough to take every sender of the process (4) without the limit
  for (let i = 0; i < 4; i++) await finishedRun(keys.a)
  await until("A's attempts held", () => receiver.openHeld() === 2, 30_000)

  const bRun = await finishedRun(keys.b)
  const bBody = await until("B's message", () => receiver.received['/fast']!.find((b) => b.includes(bRun)), 30_000)
  expect(bBody).toContain('run.completed')
  // B went out while A's two attempts were still open, and A never had more
  expect(receiver.openHeld()).toBe(2)
  expect(receiver.received['/slow']).toHaveLength(2)
  expect(receiver.maxHeld).toBe(2)

  // a message being sent cannot be redelivered: that attempt holds it
  const log = (await s.api(`/api/webhooks/${slow}/deliveries`, { key: keys.a })).body.deliveries as {
    id: string
    runId: string
  }[]
  expect(log).toHaveLength(4)
  const heldBody = JSON.parse(receiver.received['/slow']![0]!) as { data: { runId: string } }
  const inFlight = log.find((d) => d.runId === heldBody.data.runId)!
  const refused = await s.api(`/api/webhooks/${slow}/deliveries/${inFlight.id}/redeliver`, {
    method: 'POST',
    key: keys.a,
  })
  expect(refused.status).toBe(409)
  expect(refused.body.error).toMatch(/being sent right now/)

  // let go: the other two of A's messages follow, and all four are logged as delivered
  receiver.release()
  await until(
    "A's other messages",
    () => {
      if (receiver.openHeld() > 0) receiver.release()
      return receiver.received['/slow']!.length === 4
    },
    30_000,
  )
  expect(receiver.maxHeld).toBe(2)
  await until(
    "A's four messages logged as delivered",
    async () => {
      const d = (await s.api(`/api/webhooks/${slow}/deliveries`, { key: keys.a })).body.deliveries as {
        status: string
      }[]
      return d.length === 4 && d.every((m) => m.status === 'succeeded')
    },
    30_000,
  )
})

// Webhooks end to end: endpoints managed over REST and tRPC, messages on run end and on a run
// waiting for client tool output, received by a real HTTP server on 127.0.0.1 (allowed by
// RUNYARD_WEBHOOK_ALLOW_HOSTS) and verified with the `standardwebhooks` package; retries with a
// short schedule (RUNYARD_WEBHOOK_RETRY_DELAYS), the delivery log, redelivery, disabled endpoints,
// the address policy at creation, automatic disabling, and a message stored by a process that
// delivers nothing being delivered by another.
import dns from 'node:dns'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppRouter } from '@runyard/api'
import { WebhookPayload, type RunContext, type RunExecutor, type RunOutcome } from '@runyard/contract'
import { createTestDb, ScriptedExecutor, scriptPrompt, type ScriptStep } from '@runyard/testkit'
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from './support/responses.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

interface Received {
  path: string
  headers: Record<string, string>
  body: string
  answered: number
}

/** A webhook receiver: records every request; `plan[path]` says what to answer to the nth request on that path (default 200). */
class Receiver {
  readonly requests: Received[] = []
  readonly plan: Record<string, (n: number) => number> = {}
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      const n = this.requests.filter((r) => r.path === path).length + 1
      const answered = this.plan[path]?.(n) ?? 200
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
      this.requests.push({ path, headers, body: Buffer.concat(chunks).toString('utf8'), answered })
      const location = answered >= 300 && answered < 400 ? { location: '/redirect-target' } : {}
      res
        .writeHead(answered, { 'content-type': 'text/plain', ...location })
        .end(answered < 300 ? 'ok' : 'x'.repeat(100_000))
    })
  })
  port = 0

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }
  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`
  }
  on(path: string) {
    return this.requests.filter((r) => r.path === path)
  }
  async stop() {
    this.server.closeAllConnections()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

/** The scripted executor, plus a prompt `wait-for-client` that ends the run with a client tool call pending (as the agent does). */
class TestExecutor implements RunExecutor {
  private readonly scripted = new ScriptedExecutor()
  async execute(ctx: RunContext): Promise<RunOutcome> {
    const text = ctx.run.input.messages?.at(-1)?.parts.find((p) => p.type === 'text')
    if (text && 'text' in text && text.text === 'wait-for-client') {
      ctx.emit({ type: 'text_delta', delta: 'Looking it up.' })
      ctx.emit({ type: 'tool_call', id: 'call_lookup_1', tool: 'lookup', input: { q: 'weather' }, client: true })
      ctx.emit({ type: 'step_finish', usage: { input_tokens: 7, output_tokens: 3, cache_read: 0, cache_write: 0 } })
      await ctx.flush()
      return { status: 'completed' }
    }
    return this.scripted.execute(ctx)
  }
}

/** Deliveries go through the queue and retries: up to 30 s. */
const waitFor = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>) =>
  until(what, fn, 30_000)

const receiver = new Receiver()
let s: TestServer
let keys: { a: string; b: string }

function trpc(key: string) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${s.url}/trpc`, headers: { 'x-api-key': key } })] })
}

async function startRun(key: string, prompt: string): Promise<string> {
  const r = await s.api('/api/chat/runs', { method: 'POST', key, json: { prompt } })
  expect(r.status).toBe(202)
  return r.body.runId as string
}

async function createEndpoint(key: string, json: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await s.api('/api/webhooks', { method: 'POST', key, json })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return { id: r.body.endpoint.id, secret: r.body.secret }
}

/** The message a receiver path got for `runId`, verified with the endpoint's secret. */
function verified(
  path: string,
  runId: string,
  secret: string,
): { payload: WebhookPayload; request: Received } | undefined {
  for (const request of receiver.on(path)) {
    const payload = WebhookPayload.parse(new Webhook(secret).verify(request.body, request.headers))
    if (payload.data.runId === runId) return { payload, request }
  }
  return undefined
}

beforeAll(async () => {
  await receiver.start()
  const testDb = await createTestDb()
  keys = await seedTwoAccounts(testDb)
  s = await startTestServer({
    testDb,
    executor: new TestExecutor(),
    env: {
      RUNYARD_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      RUNYARD_WEBHOOK_RETRY_DELAYS: '100ms,100ms,100ms,100ms',
    },
  })
})

afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
  await receiver.stop()
})

describe('webhook endpoints', () => {
  it('refuse URLs a delivery must not reach, unless the operator allows the host', async () => {
    const refused: [string, RegExp][] = [
      ['https://10.1.2.3/hook', /private/],
      ['https://169.254.169.254/latest', /link-local/],
      ['https://[::1]/hook', /loopback/],
      ['https://127.0.0.1/hook', /loopback/],
      [`https://127.0.0.1:${receiver.port + 1}/hook`, /loopback/],
      ['https://localhost/hook', /loopback/],
      // a name's trailing dot (the DNS root) names the same host
      ['https://localhost./hook', /loopback/],
      ['https://hooks.localhost../hook', /loopback/],
      ['http://hooks.example.com/x', /https/],
      [`http://127.0.0.2:${receiver.port}/x`, /https/],
      ['https://user:secret@hooks.example.com/x', /credentials/],
      ['ftp://hooks.example.com/x', /https/],
      ['not a url', /absolute/],
      [`https://hooks.example.com/${'a'.repeat(2000)}`, /2000/],
    ]
    for (const [url, why] of refused) {
      const r = await s.api('/api/webhooks', { method: 'POST', key: keys.a, json: { url } })
      expect(r.status, url.slice(0, 60)).toBe(400)
      expect(r.body.error, url.slice(0, 60)).toMatch(why)
    }
    const bad = [
      { url: 'https://hooks.example.com', eventTypes: [] },
      { url: 'https://hooks.example.com', eventTypes: ['run.started'] },
      { url: 'https://hooks.example.com', extra: 1 },
    ]
    for (const json of bad)
      expect((await s.api('/api/webhooks', { method: 'POST', key: keys.a, json })).status).toBe(400)
    expect((await s.api('/api/webhooks', { key: keys.a })).body.endpoints).toEqual([])

    // the allowed host, over plain http; and a public name (checked again on its addresses at delivery)
    const allowed = await createEndpoint(keys.a, { url: receiver.url('/refusal-check'), enabled: false })
    expect(allowed.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    expect(Buffer.from(allowed.secret.slice('whsec_'.length), 'base64')).toHaveLength(32)
    const pub = await createEndpoint(keys.a, {
      url: 'https://hooks.example.com/runyard',
      description: 'public',
      enabled: false,
    })
    const list = (await s.api('/api/webhooks', { key: keys.a })).body.endpoints as { id: string; url: string }[]
    expect(list.map((e) => e.id).sort()).toEqual([allowed.id, pub.id].sort())
    expect(JSON.stringify(list)).not.toContain('whsec_')
    // another account sees none of them; run keys may not manage webhooks
    expect((await s.api('/api/webhooks', { key: keys.b })).body.endpoints).toEqual([])
    expect((await s.api(`/api/webhooks/${pub.id}`, { key: keys.b })).status).toBe(404)
    for (const id of [allowed.id, pub.id])
      expect((await s.api(`/api/webhooks/${id}`, { method: 'DELETE', key: keys.a })).status).toBe(200)
    expect((await s.api(`/api/webhooks/${pub.id}`, { key: keys.a })).status).toBe(404)
  })

  it('hold the cap of 20 endpoints per account against concurrent creates (nothing created past it)', async () => {
    // keys.b: this file's other tests create their endpoints for keys.a. A few rounds: the race
    // between counting and inserting does not show on every one.
    const existing = 15
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < existing; i++)
        await createEndpoint(keys.b, { url: `https://pre${i}.example.com/`, enabled: false })
      const racing = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          s.api('/api/webhooks', {
            method: 'POST',
            key: keys.b,
            json: { url: `https://race${i}.example.com/`, enabled: false },
          }),
        ),
      )
      expect(racing.filter((r) => r.status === 201)).toHaveLength(20 - existing)
      for (const r of racing.filter((r) => r.status !== 201)) {
        expect(r.status).toBe(400)
        expect(r.body.error).toMatch(/at most 20 webhook endpoints/)
      }
      const list = (await s.api('/api/webhooks', { key: keys.b })).body.endpoints as { id: string }[]
      expect(list).toHaveLength(20)
      for (const e of list) await s.api(`/api/webhooks/${e.id}`, { method: 'DELETE', key: keys.b })
    }
  })

  it('deliver a signed run.completed message that the standardwebhooks library verifies, and log it', async () => {
    const endpoint = await createEndpoint(keys.a, { url: receiver.url('/completed'), eventTypes: ['run.completed'] })
    const runId = await startRun(keys.a, scriptPrompt([{ text: 'hi' }, { step: { input: 10, output: 2 } }]))
    const { payload, request } = await waitFor('the run.completed message', () =>
      verified('/completed', runId, endpoint.secret),
    )
    const run = (await s.api(`/api/chat/runs/${runId}`, { key: keys.a })).body
    expect(payload).toEqual({
      type: 'run.completed',
      timestamp: run.finishedAt,
      data: {
        runId,
        chatId: run.chatId,
        sessionId: run.sessionId,
        kind: 'async',
        status: 'completed',
        responseId: null,
        error: null,
        usage: { inputTokens: 10, outputTokens: 2, cacheRead: 0, cacheWrite: 0 },
        finishedAt: run.finishedAt,
        pendingToolCalls: [],
      },
    })
    expect(request.headers['webhook-id']).toMatch(/^whmsg_/)
    expect(request.headers['content-type']).toBe('application/json')
    // a wrong secret does not verify
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body, request.headers),
    ).toThrow(WebhookVerificationError)

    const log = await waitFor('the logged success', async () => {
      const page = (await s.api(`/api/webhooks/${endpoint.id}/deliveries`, { key: keys.a })).body
      return page.deliveries[0]?.status === 'succeeded' ? page : undefined
    })
    expect(log.deliveries).toHaveLength(1)
    expect(log.deliveries[0]).toMatchObject({
      id: request.headers['webhook-id'],
      runId,
      eventType: 'run.completed',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      payload,
    })
    expect(log.nextCursor).toBeNull()
    const health = (await s.api(`/api/webhooks/${endpoint.id}`, { key: keys.a })).body
    expect(health).toMatchObject({ enabled: true, failingSince: null, disabledReason: null })
    expect(health.lastSuccessAt).toBeTruthy()

    // redelivery: the same message (id and body) again, logged as a second attempt
    const again = await s.api(`/api/webhooks/${endpoint.id}/deliveries/${log.deliveries[0].id}/redeliver`, {
      method: 'POST',
      key: keys.a,
    })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: log.deliveries[0].id, status: 'pending' })
    const second = await waitFor('the redelivered message', () =>
      receiver.on('/completed').length >= 2 ? receiver.on('/completed')[1] : undefined,
    )
    expect(second.headers['webhook-id']).toBe(request.headers['webhook-id'])
    expect(second.body).toBe(request.body)
    expect(new Webhook(endpoint.secret).verify(second.body, second.headers)).toEqual(payload)
    await waitFor('the redelivery logged', async () => {
      const d = (await s.api(`/api/webhooks/${endpoint.id}/deliveries`, { key: keys.a })).body.deliveries[0]
      return d.status === 'succeeded' && d.attempts === 2 ? d : undefined
    })
    // not another account's message, not an unknown one
    expect(
      (
        await s.api(`/api/webhooks/${endpoint.id}/deliveries/${log.deliveries[0].id}/redeliver`, {
          method: 'POST',
          key: keys.b,
        })
      ).status,
    ).toBe(404)
    expect(
      (
        await s.api(`/api/webhooks/${endpoint.id}/deliveries/whmsg_0000000000000000/redeliver`, {
          method: 'POST',
          key: keys.a,
        })
      ).status,
    ).toBe(404)
    expect((await s.api(`/api/webhooks/${endpoint.id}`, { method: 'DELETE', key: keys.a })).status).toBe(200)
  })

  it('retry a receiver that fails 3 times, then record exactly one successful delivery', async () => {
    receiver.plan['/flaky'] = (n) => (n <= 3 ? 500 : 204)
    const endpoint = await createEndpoint(keys.a, { url: receiver.url('/flaky'), eventTypes: ['run.failed'] })
    const runId = await startRun(
      keys.a,
      scriptPrompt([{ text: 'trying' }, { fail: 'tool', message: 'the tool broke' }]),
    )
    const log = await waitFor('the retried message to succeed', async () => {
      const page = (await s.api(`/api/webhooks/${endpoint.id}/deliveries`, { key: keys.a })).body
      return page.deliveries[0]?.status === 'succeeded' ? page : undefined
    })
    expect(log.deliveries).toHaveLength(1)
    expect(log.deliveries[0]).toMatchObject({
      runId,
      eventType: 'run.failed',
      status: 'succeeded',
      attempts: 4,
      lastStatusCode: 204,
      lastError: null,
    })
    const requests = receiver.on('/flaky')
    expect(requests.map((r) => r.answered)).toEqual([500, 500, 500, 204])
    // every attempt is the same message, signed afresh
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([log.deliveries[0].id]))
    for (const r of requests)
      expect(new Webhook(endpoint.secret).verify(r.body, r.headers)).toMatchObject({
        type: 'run.failed',
        data: { runId, status: 'failed', error: { code: 'tool', message: 'the tool broke' } },
      })
    expect((await s.api(`/api/webhooks/${endpoint.id}`, { key: keys.a })).body).toMatchObject({
      enabled: true,
      failingSince: null,
    })
    await s.api(`/api/webhooks/${endpoint.id}`, { method: 'DELETE', key: keys.a })
  })

  it('check the address a name resolves to at every attempt, and follow no redirect', async () => {
    // a name that resolves to loopback when the message is sent (as DNS rebinding would make it)
    const realLookup = dns.lookup
    dns.lookup = ((name: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) =>
      name === 'hooks.rebind.test'
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : realLookup(name, options, callback as never)) as typeof dns.lookup
    try {
      const rebound = await createEndpoint(keys.a, { url: `https://hooks.rebind.test:${receiver.port}/rebound` })
      const redirecting = await createEndpoint(keys.a, { url: receiver.url('/redirecting') })
      receiver.plan['/redirecting'] = () => 302
      const runId = await startRun(keys.a, scriptPrompt([{ text: 'hi' }, { step: {} }]))
      const logOf = async (id: string) =>
        (await s.api(`/api/webhooks/${id}/deliveries`, { key: keys.a })).body.deliveries[0] as
          { runId: string; attempts: number; lastStatusCode: number | null; lastError: string | null } | undefined
      const refused = await waitFor('the refused attempt', async () => {
        const d = await logOf(rebound.id)
        return d && d.attempts > 0 ? d : undefined
      })
      expect(refused).toMatchObject({ runId, lastStatusCode: null })
      expect(refused.lastError).toMatch(/hooks\.rebind\.test resolves to 127\.0\.0\.1, a loopback/)
      expect(receiver.on('/rebound')).toEqual([])
      const redirected = await waitFor('the redirected attempt', async () => {
        const d = await logOf(redirecting.id)
        return d && d.attempts > 0 ? d : undefined
      })
      expect(redirected).toMatchObject({ runId, lastStatusCode: 302 })
      expect(redirected.lastError).toMatch(/redirects are not followed/)
      expect(receiver.on('/redirect-target')).toEqual([])
      for (const e of [rebound, redirecting]) await s.api(`/api/webhooks/${e.id}`, { method: 'DELETE', key: keys.a })
    } finally {
      dns.lookup = realLookup
    }
  })

  it('send nothing to a disabled endpoint nor to one that does not take the type; redelivery to a disabled one is refused', async () => {
    const on = await createEndpoint(keys.a, { url: receiver.url('/on') })
    const off = await createEndpoint(keys.a, { url: receiver.url('/off'), enabled: false })
    const turnedOff = await createEndpoint(keys.a, { url: receiver.url('/turned-off') })
    const other = await createEndpoint(keys.a, { url: receiver.url('/only-cancelled'), eventTypes: ['run.cancelled'] })
    const first = await startRun(keys.a, scriptPrompt([{ text: 'one' }, { step: {} }]))
    await waitFor('the first message', () => verified('/turned-off', first, turnedOff.secret))
    const patched = await s.api(`/api/webhooks/${turnedOff.id}`, {
      method: 'PATCH',
      key: keys.a,
      json: { enabled: false },
    })
    expect(patched.body).toMatchObject({ enabled: false, disabledReason: null })

    const runId = await startRun(keys.a, scriptPrompt([{ text: 'two' }, { step: {} }]))
    // the enabled endpoint got this run's message: the run's messages are all stored by now
    await waitFor('the message to the enabled endpoint', () => verified('/on', runId, on.secret))
    expect(receiver.on('/off')).toEqual([])
    expect(receiver.on('/only-cancelled')).toEqual([])
    expect(receiver.on('/turned-off').every((r) => !r.body.includes(runId))).toBe(true)
    expect((await s.api(`/api/webhooks/${off.id}/deliveries`, { key: keys.a })).body.deliveries).toEqual([])
    expect((await s.api(`/api/webhooks/${other.id}/deliveries`, { key: keys.a })).body.deliveries).toEqual([])
    const turnedOffLog = (await s.api(`/api/webhooks/${turnedOff.id}/deliveries`, { key: keys.a })).body.deliveries
    expect(turnedOffLog.map((d: { runId: string }) => d.runId)).toEqual([first])
    const refused = await s.api(`/api/webhooks/${turnedOff.id}/deliveries/${turnedOffLog[0].id}/redeliver`, {
      method: 'POST',
      key: keys.a,
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatch(/disabled/)
    for (const e of [on, off, turnedOff, other]) await s.api(`/api/webhooks/${e.id}`, { method: 'DELETE', key: keys.a })
  })

  it('announce a run that ends waiting for client tool output as run.waiting, and a cancelled run as run.cancelled', async () => {
    const endpoint = await createEndpoint(keys.a, {
      url: receiver.url('/waiting'),
      eventTypes: ['run.waiting', 'run.cancelled'],
    })
    const waiting = await startRun(keys.a, 'wait-for-client')
    const { payload } = await waitFor('the run.waiting message', () => verified('/waiting', waiting, endpoint.secret))
    expect(payload).toMatchObject({
      type: 'run.waiting',
      data: {
        status: 'completed',
        pendingToolCalls: [{ id: 'call_lookup_1', tool: 'lookup' }],
        usage: { inputTokens: 7, outputTokens: 3 },
      },
    })

    const hanging = await startRun(keys.a, scriptPrompt([{ hang: true }] as ScriptStep[]))
    await waitFor('the run to start', async () =>
      (await s.api(`/api/chat/runs/${hanging}`, { key: keys.a })).body.status === 'running' ? true : undefined,
    )
    expect((await s.api(`/api/chat/runs/${hanging}/cancel`, { method: 'POST', key: keys.a })).status).toBe(200)
    const cancelled = await waitFor('the run.cancelled message', () => verified('/waiting', hanging, endpoint.secret))
    expect(cancelled.payload).toMatchObject({
      type: 'run.cancelled',
      data: { status: 'cancelled', error: { code: 'cancelled' }, pendingToolCalls: [] },
    })
    await s.api(`/api/webhooks/${endpoint.id}`, { method: 'DELETE', key: keys.a })
  })

  it('are managed over tRPC too: a rotated secret signs the next messages and the old one no longer verifies', async () => {
    const client = trpc(keys.a)
    const created = await client.webhooks.create.mutate({
      url: receiver.url('/rotated'),
      description: 'from tRPC',
      eventTypes: ['run.completed'],
    })
    expect(created.endpoint).toMatchObject({ description: 'from tRPC', eventTypes: ['run.completed'], enabled: true })
    expect((await client.webhooks.list.query()).map((e) => e.id)).toContain(created.endpoint.id)
    const rotated = await client.webhooks.rotateSecret.mutate({ endpointId: created.endpoint.id })
    expect(rotated.secret).not.toBe(created.secret)
    const runId = await startRun(keys.a, scriptPrompt([{ text: 'rotated' }, { step: {} }]))
    const { request } = await waitFor('the message signed with the new secret', () =>
      verified('/rotated', runId, rotated.secret),
    )
    expect(() => new Webhook(created.secret).verify(request.body, request.headers)).toThrow(WebhookVerificationError)
    const page = await waitFor('the logged success', async () => {
      const p = await client.webhooks.deliveries.query({ endpointId: created.endpoint.id })
      return p.deliveries[0]?.status === 'succeeded' ? p : undefined
    })
    expect(page.deliveries[0]!.runId).toBe(runId)
    // bad input and foreign ids in tRPC's own shape
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: unknown) => (e instanceof TRPCClientError ? (e.data as { code: string }).code : 'other'),
      )
    expect(await codeOf(client.webhooks.create.mutate({ url: 'https://192.168.1.10/x' }))).toBe('BAD_REQUEST')
    expect(await codeOf(trpc(keys.b).webhooks.rotateSecret.mutate({ endpointId: created.endpoint.id }))).toBe(
      'NOT_FOUND',
    )
    expect(
      await codeOf(
        client.webhooks.update.mutate({ endpointId: created.endpoint.id, changes: { url: 'https://[fd00::1]/x' } }),
      ),
    ).toBe('BAD_REQUEST')
    // a schema failure reads like the REST one (not a JSON dump of the schema's issues) and names the field
    const invalid = await client.webhooks.deliveries
      .query({ endpointId: created.endpoint.id, limit: 1.5 })
      .catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(TRPCClientError)
    expect((invalid as TRPCClientError<AppRouter>).message).toMatch(/^Invalid request: limit: /)
    expect((invalid as TRPCClientError<AppRouter>).data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      appCode: 'bad_request',
      details: { param: 'limit' },
    })
    await client.webhooks.delete.mutate({ endpointId: created.endpoint.id })
  })

  it('disable an endpoint that failed for days, saying why, and give up its message', async () => {
    receiver.plan['/down'] = () => 503
    const endpoint = await createEndpoint(keys.a, { url: receiver.url('/down'), eventTypes: ['run.completed'] })
    // the endpoint has been failing for six days already (RUNYARD_WEBHOOK_DISABLE_AFTER_MS: five by default)
    await s.testDb.prisma.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince: new Date(Date.now() - 6 * 86_400_000) },
    })
    const runId = await startRun(keys.a, scriptPrompt([{ text: 'x' }, { step: {} }]))
    const disabled = await waitFor('the endpoint to be disabled', async () => {
      const e = (await s.api(`/api/webhooks/${endpoint.id}`, { key: keys.a })).body
      return e.enabled ? undefined : e
    })
    expect(disabled.disabledReason).toMatch(/every delivery failed for 6 days .*HTTP 503/)
    const [message] = (await s.api(`/api/webhooks/${endpoint.id}/deliveries`, { key: keys.a })).body.deliveries
    expect(message).toMatchObject({ runId, status: 'failed', attempts: 1, lastStatusCode: 503 })
    expect(message.lastError).toMatch(/HTTP 503.*the endpoint was disabled/)
    expect(receiver.on('/down')).toHaveLength(1)
    // enabling it again starts it afresh
    const enabled = await s.api(`/api/webhooks/${endpoint.id}`, {
      method: 'PATCH',
      key: keys.a,
      json: { enabled: true },
    })
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null })
    await s.api(`/api/webhooks/${endpoint.id}`, { method: 'DELETE', key: keys.a })
  })

  it('are described in /openapi.json: the messages under `webhooks`', async () => {
    const doc = (await s.api('/openapi.json', { validate: false })).body
    expect(Object.keys(doc.webhooks).sort()).toEqual(['run.cancelled', 'run.completed', 'run.failed', 'run.waiting'])
    const completed = doc.webhooks['run.completed'].post
    expect(completed.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/WebhookRunCompleted',
    })
    expect(completed.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ])
    expect(doc.components.schemas.WebhookRunData.required).toEqual(
      expect.arrayContaining(['runId', 'chatId', 'sessionId', 'status', 'error', 'usage', 'finishedAt']),
    )
  })
})

describe('webhook durability', () => {
  it('a message stored by a process that delivers nothing is delivered by a worker process started later', async () => {
    const testDb = await createTestDb()
    const { a } = await seedTwoAccounts(testDb)
    const env = { RUNYARD_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}` }
    // An API-only process: it finishes a run (cancelling it before any worker took it) and stores its message, but delivers nothing.
    const api = await startTestServer({ testDb, env: { ...env, RUNYARD_WORKERS: 'false' } })
    let worker: TestServer | undefined
    try {
      const created = await api.api('/api/webhooks', {
        method: 'POST',
        key: a,
        json: { url: receiver.url('/durable') },
      })
      const run = await api.api('/api/chat/runs', { method: 'POST', key: a, json: { prompt: 'never runs' } })
      expect((await api.api(`/api/chat/runs/${run.body.runId}/cancel`, { method: 'POST', key: a })).body.status).toBe(
        'cancelled',
      )
      const stored = await testDb.prisma.webhookDelivery.findMany({ where: { runId: run.body.runId } })
      expect(stored.map((d) => [d.eventType, d.status, d.attempts])).toEqual([['run.cancelled', 'pending', 0]])
      await api.stop()
      expect(receiver.on('/durable')).toEqual([])
      // a worker process on the same database finds and delivers it
      worker = await startTestServer({ testDb, env })
      const delivered = await waitFor('the stored message', () => receiver.on('/durable')[0])
      expect(new Webhook(created.body.secret).verify(delivered.body, delivered.headers)).toMatchObject({
        type: 'run.cancelled',
        data: { runId: run.body.runId },
      })
    } finally {
      await api.stop()
      await worker?.stop()
      await testDb.drop()
    }
  })
})

// Responses API errors, as the official SDK sees them: every failure is OpenAI-shaped
// `{error:{message,type,param,code}}` with the right status, so the SDK raises its typed classes
// (BadRequestError 400, AuthenticationError 401, NotFoundError 404, ConflictError 409,
// InternalServerError 500/503). Bad input writes nothing; a failed admission rolls back the
// session it provisioned; an unreachable database is 503, never 500.
import { createTestDb, scriptPrompt } from '@runyard/testkit'
import OpenAI from 'openai'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@runyard/services'
import { startServerBehindProxy, type ServerBehindProxy } from './support/db-outage.ts'
import { settledOpenapiProblems, sdk } from './support/responses.ts'
import { startTestServer, testCatalog, testRuntime, type TestServer } from './support/server.ts'

afterEach(async () => {
  expect(await settledOpenapiProblems()).toEqual([])
})

type ApiErr = InstanceType<typeof OpenAI.APIError>
const failure = (p: Promise<unknown>) =>
  p.then(
    () => Promise.reject(new Error('expected the call to fail')),
    (e: unknown) => e as ApiErr,
  )

describe('client errors', () => {
  let s: TestServer
  let a: OpenAI
  let b: OpenAI
  let keyA: string
  beforeAll(async () => {
    const testDb = await createTestDb()
    await testDb.prisma.account.createMany({
      data: [
        { id: 'acct_a', name: 'a' },
        { id: 'acct_b', name: 'b' },
      ],
    })
    keyA = (await createApiKey(testDb.prisma, { accountId: 'acct_a', name: 'a', kind: 'personal' })).secret
    const keyB = (await createApiKey(testDb.prisma, { accountId: 'acct_b', name: 'b', kind: 'personal' })).secret
    s = await startTestServer({ testDb })
    a = sdk(s, keyA)
    b = sdk(s, keyB)
  })
  afterAll(async () => {
    await s?.stop()
    await s?.testDb.drop()
  })

  it('400 for an unknown model, with param "model"; nothing is written', async () => {
    const before = await s.db.prisma.session.count()
    const err = await failure(a.responses.create({ model: 'gpt-nope', input: 'hi' }))
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.status).toBe(400)
    expect(err.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
      message: expect.stringContaining('gpt-nope'),
    })
    expect(err.param).toBe('model')
    expect(await s.db.prisma.session.count()).toBe(before)
  })

  it("400 for empty input and bad types, in OpenAI's shape; nothing is written", async () => {
    const before = [await s.db.prisma.session.count(), await s.db.prisma.run.count()]
    const bad: [unknown, string | null][] = [
      [{ model: 'default', input: '' }, 'input'],
      [{ model: 'default', input: '   ' }, 'input'],
      [{ model: 'default', input: [] }, 'input'],
      [{ model: 'default', input: 42 }, 'input'],
      [{ model: 'default', input: [{ role: 'assistant', content: 'only me' }] }, 'input'],
      [
        { model: 'default', input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] },
        'input[0].content[0].type',
      ],
      [
        { model: 'default', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x/a.png' }] }] },
        'input[0].content[0].image_url',
      ],
      [
        {
          model: 'default',
          input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:text/plain;base64,aGk=' }] }],
        },
        'input[0].content[0].image_url',
      ],
      [
        { model: 'default', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] },
        'input[0].content[0].file_id',
      ],
      [{ model: 'default', input: [{ type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }] }, 'input'],
      [{ model: 'default', input: [{ type: 'function_call_output', call_id: 'c1', output: 'x' }] }, 'input'],
      [{ model: 'default', input: [{ role: 'robot', content: 'x' }] }, 'input'],
      [{ input: 'hi' }, 'model'],
      [{ model: 'default', input: 'hi', x_context: [1, 2] }, 'x_context'],
      [{ model: 'default', input: 'hi', x_context: 'text' }, 'x_context'],
      [{ model: 'default', input: 'hi', stream: 'yes' }, 'stream'],
      [{ model: 'default', input: 'hi', metadata: { k: 1 } }, 'metadata.k'],
      [{ model: 'default', input: 'hi', tools: [{ type: 'web_search' }] }, 'tools'],
      [
        {
          model: 'default',
          input: 'hi',
          tools: [
            { type: 'function', name: 'f' },
            { type: 'function', name: 'f' },
          ],
        },
        'tools[1].name',
      ],
      [
        {
          model: 'default',
          input: 'hi',
          tools: [{ type: 'function', name: 'f' }],
          tool_choice: { type: 'function', name: 'g' },
        },
        'tool_choice',
      ],
      [{ model: 'default', input: 'hi', temperature: 3 }, 'temperature'],
      [{ model: 'default', input: 'hi', background: true, store: false }, 'store'],
    ]
    for (const [body, param] of bad) {
      const err = await failure(a.responses.create(body as OpenAI.Responses.ResponseCreateParamsNonStreaming))
      expect(err, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError)
      expect(err.error, JSON.stringify(body)).toMatchObject({
        type: 'invalid_request_error',
        message: expect.any(String),
      })
      if (param)
        expect((err.error as { param: string }).param, JSON.stringify(body)).toMatch(
          new RegExp(`^${param.replace(/[[\].]/g, '\\$&')}`),
        )
    }
    // Malformed JSON is a 400 too (raw request: the SDK always sends valid JSON).
    const raw = await s.api('/v1/responses', {
      method: 'POST',
      key: keyA,
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    })
    expect(raw).toMatchObject({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          message: 'The request body is not valid JSON.',
          param: null,
          code: null,
        },
      },
    })
    // Bad query values on retrieve are 400.
    const r = await a.responses.create({ model: 'default', input: 'hi' })
    expect(await s.api(`/v1/responses/${r.id}?starting_after=abc&stream=true`, { key: keyA })).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error' } },
    })
    expect([await s.db.prisma.session.count(), await s.db.prisma.run.count()]).toEqual([before[0]! + 1, before[1]! + 1])
  })

  it('401 for a missing or invalid key', async () => {
    const bad = sdk(s, 'ryk_live_wrong')
    const err = await failure(bad.responses.create({ model: 'default', input: 'hi' }))
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' })
    expect(await failure(bad.responses.retrieve('resp_x'))).toBeInstanceOf(OpenAI.AuthenticationError)
    const none = await s.api('/v1/responses', { method: 'POST', json: { model: 'default', input: 'hi' } })
    expect(none).toMatchObject({ status: 401, body: { error: { type: 'authentication_error', param: null } } })
  })

  it("404 for unknown ids and for another account's response, on every endpoint", async () => {
    const mine = await a.responses.create({ model: 'default', input: scriptPrompt([{ text: 'x' }]) })
    for (const [client, id] of [
      [a, 'resp_doesnotexist'],
      [b, mine.id],
    ] as const) {
      for (const [call, code] of [
        [() => client.responses.retrieve(id), 'response_not_found'],
        [() => client.responses.retrieve(id, { stream: true }), 'response_not_found'],
        [() => client.responses.cancel(id), 'response_not_found'],
        [() => client.responses.delete(id), 'response_not_found'],
        [() => client.responses.inputItems.list(id), 'response_not_found'],
        // OpenAI's own code for an unknown previous_response_id
        [
          () => client.responses.create({ model: 'default', input: 'hi', previous_response_id: id }),
          'previous_response_not_found',
        ],
      ] as const) {
        const err = await failure(call())
        expect(err).toBeInstanceOf(OpenAI.NotFoundError)
        expect(err.error).toMatchObject({ type: 'not_found_error', code })
      }
    }
    const prev = await failure(b.responses.create({ model: 'default', input: 'hi', previous_response_id: mine.id }))
    expect(prev.param).toBe('previous_response_id')
    // Still intact for its owner.
    expect((await a.responses.retrieve(mine.id)).status).toBe('completed')
  })

  it('409 (ConflictError) when the conversation already runs a response', async () => {
    const first = await a.responses.create({
      model: 'default',
      input: scriptPrompt([{ hang: true }]),
      background: true,
    })
    const err = await failure(
      a.responses.create({ model: 'default', input: 'more', previous_response_id: first.id, stream: true }),
    )
    expect(err).toBeInstanceOf(OpenAI.ConflictError)
    expect(err.error).toMatchObject({
      type: 'conflict_error',
      code: 'chat_busy',
      message: expect.stringContaining(first.id),
    })
    await a.responses.cancel(first.id)
  })

  it('500 (InternalServerError) for an unexpected failure, and the provisioned session is rolled back', async () => {
    const before = [await s.db.prisma.session.count(), await s.db.prisma.chat.count(), await s.db.prisma.run.count()]
    const c = new pg.Client({ connectionString: s.db.url })
    await c.connect()
    await c.query(
      `CREATE FUNCTION fail_run_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    )
    await c.query(`CREATE TRIGGER fail_run BEFORE INSERT ON "Run" FOR EACH ROW EXECUTE FUNCTION fail_run_insert()`)
    try {
      const err = await failure(a.responses.create({ model: 'default', input: 'doomed' }))
      expect(err).toBeInstanceOf(OpenAI.InternalServerError)
      expect(err.status).toBe(500)
      expect(err.error).toEqual({ message: 'Internal server error', type: 'server_error', param: null, code: null })
      expect([
        await s.db.prisma.session.count(),
        await s.db.prisma.chat.count(),
        await s.db.prisma.run.count(),
      ]).toEqual(before)
    } finally {
      await c.query('DROP TRIGGER fail_run ON "Run"; DROP FUNCTION fail_run_insert()')
      await c.end()
    }
  })
})

describe('503 when the database is unreachable', () => {
  let s: TestServer
  let proxy: ServerBehindProxy['proxy']
  let outage: ServerBehindProxy
  beforeAll(async () => {
    // Local mode (no keys in this database): the handler itself is the first to hit the database.
    outage = await startServerBehindProxy((db) => db.prisma.account.create({ data: { id: 'acct_c', name: 'c' } }))
    ;({ server: s, proxy } = outage)
  })
  afterAll(() => outage?.stop())

  it("create, retrieve and the SDK answer 503 in OpenAI's shape, not 500", async () => {
    const ok = await s.api('/v1/responses', {
      method: 'POST',
      json: { model: 'default', input: 'hi', background: true },
    })
    expect(ok.status).toBe(200)
    await proxy.cut()
    const created = await s.api('/v1/responses', { method: 'POST', json: { model: 'default', input: 'hi' } })
    expect(created).toMatchObject({
      status: 503,
      body: { error: { type: 'service_unavailable_error', message: expect.stringContaining('unavailable') } },
    })
    const got = await s.api(`/v1/responses/${ok.body.id}`)
    expect(got).toMatchObject({ status: 503, body: { error: { type: 'service_unavailable_error' } } })
    // The SDK (which always sends a key, so auth is what meets the dead database here).
    const err = await failure(sdk(s, 'any-key').responses.retrieve(ok.body.id))
    expect(err).toBeInstanceOf(OpenAI.InternalServerError)
    expect(err.status).toBe(503)
    expect(err.error).toMatchObject({ type: 'service_unavailable_error', code: null })
    const errCreate = await failure(sdk(s, 'any-key').responses.create({ model: 'default', input: 'hi' }))
    expect(errCreate).toBeInstanceOf(OpenAI.InternalServerError)
    expect(errCreate.status).toBe(503)
    // Back: the service recovers.
    await proxy.restore()
    expect((await s.api(`/v1/responses/${ok.body.id}`)).status).toBe(200)
  })

  it('every other surface answers 503 in its own shape too', async () => {
    await proxy.cut()
    try {
      expect(await s.api('/api/sessions')).toMatchObject({
        status: 503,
        body: { status: 'error', error: expect.stringContaining('unavailable') },
      })
      expect(await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'hi' } })).toMatchObject({
        status: 503,
        body: { status: 'error' },
      })
      expect(await s.api('/api/v1/health')).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } })
      expect(await s.api('/api/v1/sessions/sess_x')).toMatchObject({
        status: 503,
        body: { error: { code: 'unavailable' } },
      })
      const trpc = await fetch(`${s.url}/trpc/sessions.list`)
      expect(trpc.status).toBe(503)
      expect(await trpc.json()).toMatchObject({ error: { data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } })
    } finally {
      await proxy.restore()
    }
  })
})

describe('a model that cannot take images or files', () => {
  let s: TestServer
  beforeAll(async () => {
    const textOnly = {
      ...testCatalog,
      resolve: (m?: string, p?: string) => ({ ...testCatalog.resolve(m, p), acceptsFiles: false }),
    }
    s = await startTestServer({ runtime: { ...testRuntime, models: textOnly } })
  })
  afterAll(() => s.stop())

  it('answers 400 naming the parameter, on /v1/responses and /v1/chat/completions; nothing is written', async () => {
    const before = await s.db.prisma.run.count()
    const client = sdk(s, 'local')
    const image = { type: 'input_image' as const, image_url: 'https://example.com/cat.png', detail: 'auto' as const }
    const err = await failure(
      client.responses.create({
        model: 'default',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'what is it?' }, image] }],
      }),
    )
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.error).toMatchObject({ param: 'input', message: expect.stringContaining('cannot read images or files') })
    const chat = await failure(
      client.chat.completions.create({
        model: 'default',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
        ],
      }),
    )
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError)
    expect(chat.error).toMatchObject({ param: 'messages' })
    expect(await s.db.prisma.run.count()).toBe(before)
  })
})

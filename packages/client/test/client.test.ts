import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, startRunyard, type RunningServer } from '@runyard/server'
import { createTestDb, ScriptedExecutor, scriptPrompt, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenApiValidator } from '../../../apps/server/test/support/openapi-validator.ts'
import { settledOpenapiProblems, validatingFetch } from '../../../apps/server/test/support/responses.ts'
import { renderRestTypes } from '../scripts/render-rest-types.ts'
import { createRunyardClient } from '../src/index.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

const catalog = {
  isDemo: false,
  resolve: (id?: string) => ({ id: id ?? 'scripted', providerId: 'test' }),
  list: () => [{ id: 'scripted', providerId: 'test' }],
}

let db: TestDb
let server: RunningServer
beforeAll(async () => {
  db = await createTestDb()
  server = await startRunyard(loadConfig({ RUNYARD_PORT: '0', RUNYARD_LOG_LEVEL: 'silent' }), {
    db,
    agent: { runtime: { models: catalog, defaultSandbox: 'none', availableSandboxes: ['none'], warnings: [], sandboxes: { release: async () => {} } }, executor: new ScriptedExecutor() },
    progress: () => {},
  })
})
afterAll(async () => {
  await server.close()
  await db.drop()
})

describe('createRunyardClient', () => {
  it('creates and reads a session over tRPC and over REST', async () => {
    const client = createRunyardClient({ url: server.url })
    const created = await client.trpc.sessions.create.mutate({ title: 'from the client' })
    expect(created.session.title).toBe('from the client')
    const viaTrpc = await client.trpc.sessions.get.query({ sessionId: created.session.id })
    expect(viaTrpc.id).toBe(created.session.id)
    // REST through a fetch that validates every response against the server's /openapi.json
    const openapi = await createOpenApiValidator(await (await fetch(`${server.url}/openapi.json`)).json())
    const { rest } = createRunyardClient({ url: server.url, fetch: validatingFetch({ openapi }) })
    const viaRest = await rest.GET('/api/sessions/{sessionId}', { params: { path: { sessionId: created.session.id } } })
    expect(viaRest.response.status).toBe(200)
    expect(viaRest.data?.session.title).toBe('from the client')
    const missing = await rest.GET('/api/sessions/{sessionId}', { params: { path: { sessionId: 'sess_missing' } } })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toMatchObject({ status: 'error' })
    expect(await settledOpenapiProblems()).toEqual([])
  })

  it('subscribes to a run over SSE in Node and resumes from lastEventId without gaps or duplicates', async () => {
    const client = createRunyardClient({ url: server.url })
    const { runId } = await client.trpc.runs.start.mutate({ prompt: scriptPrompt([{ text: 'abcdefghij', chunks: 10, delayMs: 20 }, { step: { input: 1 } }]) })
    const collect = (lastEventId: string | null, stopAfter?: number) =>
      new Promise<number[]>((resolve, reject) => {
        const seqs: number[] = []
        const sub = client.trpc.runs.events.subscribe(
          { runId, lastEventId },
          {
            onData: (d) => {
              seqs.push(Number(d.id))
              if (d.data.event.type === 'done' || (stopAfter !== undefined && seqs.length >= stopAfter)) {
                sub.unsubscribe()
                resolve(seqs)
              }
            },
            onError: reject,
          },
        )
      })
    const first = await collect(null, 4)
    const rest = await collect(String(first.at(-1)))
    const all = [...first, ...rest]
    expect(all).toEqual(all.map((_, i) => i + 1))
    expect((await client.trpc.runs.get.query({ runId })).status).toBe('completed')
  })

  it('keeps the committed REST types in sync with the OpenAPI document', async () => {
    const committed = await fs.readFile(path.join(here, '../src/rest-types.ts'), 'utf8')
    expect(committed, 'run `pnpm --filter @runyard/client generate`').toBe(await renderRestTypes())
  })
})

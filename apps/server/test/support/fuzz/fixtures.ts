// Real data for the fuzzer, per account, made through the API itself: sessions and chats, finished
// runs, responses (and their input items), a CometCode session and workspace, a chat with a run
// that stays active, disposable responses and sessions for DELETE/archive, keys the fuzz may
// revoke, an expired and a revoked key.
import type { TestDb } from '@runyard/testkit'
import { createApiKey } from '@runyard/services'
import type { TestServer } from '../server.ts'
import type { AccountFixtures, Actor, Fixtures } from './generate.ts'
import type { IdKind } from './json.ts'

/** The body of a 2xx answer (the exact success status is the API's business, not the fixtures'). */
async function ok<T = any>(p: Promise<{ status: number; body: any }>, what: string): Promise<T> {
  const r = await p
  if (r.status < 200 || r.status > 299)
    throw new Error(`fuzz fixtures: ${what} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`)
  return r.body as T
}

async function trpc(s: TestServer, key: string, path: string, input: unknown): Promise<any> {
  const res = await fetch(`${s.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(input),
  })
  const body = (await res.json()) as { result?: { data: unknown } }
  if (!res.ok || !body.result)
    throw new Error(`fuzz fixtures: tRPC ${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`)
  return body.result.data
}

async function waitFinished(s: TestServer, key: string, runId: string) {
  for (let i = 0; i < 400; i++) {
    const r = await s.api(`/api/chat/runs/${runId}`, { key })
    if (['completed', 'failed', 'cancelled'].includes(r.body?.status)) return
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`fuzz fixtures: run ${runId} did not finish`)
}

async function seedAccount(
  s: TestServer,
  testDb: TestDb,
  who: Actor,
  key: string,
  root: string,
): Promise<AccountFixtures> {
  const ids: Record<IdKind, string[]> = {
    session: [],
    chat: [],
    run: [],
    response: [],
    workspace: [],
    key: [],
    account: [`acct_${who}`],
    webhookEndpoint: [],
    webhookMessage: [],
    item: [],
    path: [],
  }
  const api = (path: string, init: Parameters<TestServer['api']>[1] = {}) => s.api(path, { ...init, key })
  for (const i of [1, 2]) {
    const workspacePath = `${root}/${who}/project-${i}`
    const created = await ok(
      api('/api/sessions', { method: 'POST', json: { title: `fuzz ${who}${i}`, workspacePath } }),
      'POST /api/sessions',
    )
    ids.session.push(created.session.id)
    ids.chat.push(created.chat.id)
    ids.path.push(workspacePath)
    const run = await ok(
      api('/api/chat/runs', { method: 'POST', json: { prompt: `seed run ${i}`, chatId: created.chat.id } }),
      'POST /api/chat/runs',
    )
    ids.run.push(run.runId)
    await waitFinished(s, key, run.runId)
  }
  for (const i of [1, 2, 3]) {
    const resp = await ok(
      api('/v1/responses', {
        method: 'POST',
        json: { model: 'default', input: `seed response ${i}`, metadata: { seed: String(i) } },
      }),
      'POST /v1/responses',
    )
    ids.response.push(resp.id)
    const items = await ok(api(`/v1/responses/${resp.id}/input_items`), 'GET input_items')
    for (const item of items.data) ids.item.push(item.id)
  }
  // A chat whose run stays active for the whole fuzz (its session and run ids are kept out of the
  // pools so nothing cancels it): the resumable stream answers 200, new turns on it 409.
  const live = await ok(api('/api/sessions', { method: 'POST', json: { title: `live ${who}` } }), 'POST /api/sessions')
  await ok(
    api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: JSON.stringify({ script: [{ text: 'live' }, { sleep: 600_000 }] }), chatId: live.chat.id },
    }),
    'POST /api/chat/runs',
  )
  ids.chat.push(live.chat.id)
  // What DELETE /v1/responses/{id} and sessions.archive may destroy.
  const disposable: AccountFixtures['disposable'] = { response: [], session: [] }
  for (const i of [1, 2, 3, 4]) {
    disposable.response!.push(
      (
        await ok(
          api('/v1/responses', {
            method: 'POST',
            json: { model: 'default', input: `disposable ${i}`, background: true },
          }),
          'POST /v1/responses',
        )
      ).id,
    )
    disposable.session!.push(
      (
        await ok(
          api('/api/sessions', { method: 'POST', json: { title: `disposable ${who}${i}` } }),
          'POST /api/sessions',
        )
      ).session.id,
    )
  }
  const cometPath = `${root}/${who}/comet`
  const comet = await ok(
    api('/api/v1/sessions', { method: 'POST', json: { workspace_path: cometPath } }),
    'POST /api/v1/sessions',
  )
  ids.session.push(comet.id)
  ids.workspace.push(comet.workspace_id)
  ids.path.push(cometPath)
  // Keys the fuzz may revoke (keys.revoke with the account's own ids); never the main key.
  for (const i of [1, 2, 3]) ids.key.push((await trpc(s, key, 'keys.create', { name: `fuzz-sacrificial-${i}` })).key.id)
  const expired = await createApiKey(testDb.prisma, {
    accountId: `acct_${who}`,
    name: `${who}-expired`,
    kind: 'personal',
    expiresAt: new Date(Date.now() - 60_000),
  })
  const revoked = (await trpc(s, key, 'keys.create', { name: `${who}-revoked` })) as {
    key: { id: string }
    secret: string
  }
  await trpc(s, key, 'keys.revoke', { keyId: revoked.key.id })
  return { key, expiredKey: expired.secret, revokedKey: revoked.secret, ids, disposable }
}

/** `root`: a folder clients may name workspaces in (the server's RUNYARD_WORKSPACE_ROOTS). */
export async function seedFixtures(
  s: TestServer,
  testDb: TestDb,
  keys: { a: string; b: string },
  root: string,
): Promise<Fixtures> {
  const [a, b] = await Promise.all([
    seedAccount(s, testDb, 'a', keys.a, root),
    seedAccount(s, testDb, 'b', keys.b, root),
  ])
  return { a, b }
}

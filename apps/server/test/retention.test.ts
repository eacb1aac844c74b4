// Retention on a seeded database: runs made through the API (scripted executor), then aged with
// SQL. The dry run's counts are exact, the sweep (in batches of 2 rows) deletes exactly what they
// say and nothing else — queued and running runs, their logs and their sessions stay — and the
// CLI prints the same counts. A run whose log was deleted still reads, and its event stream ends.
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { createPgPool } from '@runyard/db'
import { retentionStore, type RetentionCounts } from '@runyard/engine'
import { LOCAL_ACCOUNT_ID, RetentionService } from '@runyard/services'
import { scriptPrompt } from '@runyard/testkit'
import { SCRIPTED_EXECUTOR_MODULE } from '@runyard/testkit/runyard-process'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'
import { until } from './support/responses.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const DAYS = 30
const repoRoot = path.resolve(import.meta.dirname, '../../..')
const done = scriptPrompt([{ text: 'hello there', chunks: 3 }, { step: { input: 2, output: 1 } }])
const forever = scriptPrompt([{ text: 'working' }, { hang: true }])

let s: TestServer
let pool: pg.Pool
let retention: RetentionService
let workspaces: string

interface Started {
  runId: string
  chatId: string
  sessionId: string
}

async function start(prompt: string, chatId?: string): Promise<Started> {
  const r = await s.api('/api/chat/runs', { method: 'POST', json: { prompt, ...(chatId ? { chatId } : {}) } })
  expect(r.status).toBe(202)
  return r.body as Started
}

async function status(runId: string): Promise<string> {
  return (await s.api(`/api/chat/runs/${runId}`)).body.status as string
}

async function finished(prompt = done, chatId?: string): Promise<Started> {
  const run = await start(prompt, chatId)
  await until(`run ${run.runId} completed`, async () => (await status(run.runId)) === 'completed')
  return run
}

/** A run executing (its text written) until the server stops. */
async function running(): Promise<Started> {
  const run = await start(forever)
  await until(
    `run ${run.runId} running`,
    async () => (await sql(`SELECT 1 FROM "RunEvent" WHERE "runId" = $1 AND type = 'text_delta'`, run.runId)).rowCount,
  )
  return run
}

const sql = (text: string, ...values: unknown[]) => pool.query(text, values)
const finishedDaysAgo = (runId: string, days: number) =>
  sql(
    `UPDATE "Run" SET "createdAt" = now() - $2 * interval '1 day', "startedAt" = now() - $2 * interval '1 day', "finishedAt" = now() - $2 * interval '1 day' WHERE id = $1`,
    runId,
    days,
  )
const createdDaysAgo = (runId: string, days: number) =>
  sql(`UPDATE "Run" SET "createdAt" = now() - $2 * interval '1 day' WHERE id = $1`, runId, days)
const archivedDaysAgo = (sessionId: string, days: number) =>
  sql(`UPDATE "Session" SET "archivedAt" = now() - $2 * interval '1 day' WHERE id = $1`, sessionId, days)

async function archive(sessionId: string) {
  expect((await s.api(`/api/sessions/${sessionId}/archive`, { method: 'POST' })).status).toBe(200)
}

/** Rows per run in the event table: run id → [batches, events]. */
async function eventRows(): Promise<Record<string, [number, number]>> {
  const { rows } = await sql(
    `SELECT "runId", count(*)::int AS batches, sum("lastSeq" - seq + 1)::int AS events FROM "RunEventBatch" GROUP BY "runId"`,
  )
  return Object.fromEntries(
    rows.map((r: { runId: string; batches: number; events: number }) => [r.runId, [r.batches, r.events]]),
  )
}

const ids = async (table: string) =>
  new Set((await sql(`SELECT id FROM "${table}"`)).rows.map((r: { id: string }) => r.id))

beforeAll(async () => {
  workspaces = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-retention-'))
  s = await startTestServer({ env: { RUNYARD_WORKSPACES_DIR: workspaces } })
  pool = createPgPool(s.testDb.url, { max: 2 })
  retention = new RetentionService(retentionStore(pool), workspaces)
}, 60_000)

afterAll(async () => {
  await pool?.end()
  await s?.stop()
  await fs.rm(workspaces, { recursive: true, force: true })
})

describe(`retention (${DAYS} days)`, () => {
  it(
    "counts, then deletes exactly the old finished runs' logs, leftover run keys and old archived sessions",
    { timeout: 120_000 },
    async () => {
      // a session with two runs that finished 40 days ago: their logs go, the runs and the session stay
      const old1 = await finished()
      const old2 = await finished(done, old1.chatId)
      await finishedDaysAgo(old1.runId, 40)
      await finishedDaysAgo(old2.runId, 40)
      // a run that finished just now: untouched
      const recent = await finished()
      // an old finished run and a running one (created 40 days ago, still running) in one session
      const oldBeside = await finished()
      await finishedDaysAgo(oldBeside.runId, 40)
      const active = await running()
      await createdDaysAgo(active.runId, 40)
      // archived 40 days ago, its run finished then: the whole session goes, with its managed folder
      const gone = await finished()
      await archive(gone.sessionId)
      await finishedDaysAgo(gone.runId, 40)
      await archivedDaysAgo(gone.sessionId, 40)
      // archived 40 days ago, kept: a run finished 10 days ago; a sandbox not released; archived only 5 days ago; a run still running
      const recentRun = await finished()
      await archive(recentRun.sessionId)
      await finishedDaysAgo(recentRun.runId, 10)
      await archivedDaysAgo(recentRun.sessionId, 40)
      const sandbox = await finished()
      await archive(sandbox.sessionId)
      await finishedDaysAgo(sandbox.runId, 40)
      await archivedDaysAgo(sandbox.sessionId, 40)
      await sql(`UPDATE "Session" SET "sandboxState" = '{"sandboxId":"sbx_left"}' WHERE id = $1`, sandbox.sessionId)
      const lately = await finished()
      await archive(lately.sessionId)
      await finishedDaysAgo(lately.runId, 40)
      await archivedDaysAgo(lately.sessionId, 5)
      // archived 40 days ago with a run still running on some other worker (as if the archiving
      // process died before cancelling it; its lease is good for an hour, so no reaper takes it)
      const archivedActive = await finished()
      await archive(archivedActive.sessionId)
      await archivedDaysAgo(archivedActive.sessionId, 40)
      await sql(
        `UPDATE "Run" SET status = 'running', "finishedAt" = NULL, "createdAt" = now() - interval '40 days', "workerId" = 'elsewhere:1:x', "leaseExpiresAt" = now() + interval '1 hour' WHERE id = $1`,
        archivedActive.runId,
      )
      // run keys left behind (a run's key is deleted when it ends): one of an old run, one of a recent run
      await sql(
        `INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash, "runId") VALUES ('key_leftover_old', 'acct_local', 'run', 'ephemeral', 'x', 'h1', $1), ('key_leftover_new', 'acct_local', 'run', 'ephemeral', 'x', 'h2', $2)`,
        old1.runId,
        recent.runId,
      )

      // managed workspace folders (<dir>/<accountId>/<sessionId>) of the deleted session and of a kept one
      const goneFolder = path.join(workspaces, LOCAL_ACCOUNT_ID, gone.sessionId)
      const keptFolder = path.join(workspaces, LOCAL_ACCOUNT_ID, lately.sessionId)
      for (const dir of [goneFolder, keptFolder]) {
        await fs.mkdir(dir, { recursive: true })
        await fs.writeFile(path.join(dir, 'notes.md'), 'x')
      }

      const expired = [old1, old2, oldBeside, gone, sandbox, lately].map((r) => r.runId)
      const kept = [recent, active, recentRun, archivedActive].map((r) => r.runId)
      const before = await eventRows()
      for (const id of [...expired, ...kept]) expect(before[id], `run ${id} has a log`).toBeDefined()
      const goneMessages = (await sql(`SELECT count(*)::int AS n FROM "Message" WHERE "chatId" = $1`, gone.chatId))
        .rows[0].n as number
      expect(goneMessages).toBeGreaterThanOrEqual(1)
      const expected: RetentionCounts = {
        runEvents: {
          runs: expired.length,
          batches: expired.reduce((n, id) => n + before[id]![0], 0),
          events: expired.reduce((n, id) => n + before[id]![1], 0),
        },
        runKeys: 1,
        archivedSessions: { sessions: 1, chats: 1, messages: goneMessages, runs: 1 },
        archivedSessionsKept: 3,
        webhookDeliveries: 0,
      }

      // the dry run
      const plan = await retention.count(DAYS)
      expect(plan.counts).toEqual(expected)
      expect(Date.now() - plan.cutoff.getTime()).toBeGreaterThanOrEqual(DAYS * 86_400_000)
      expect(await eventRows()).toEqual(before) // nothing deleted

      // the CLI's dry run prints the same counts
      const cli = await promisify(execFile)(
        process.execPath,
        [
          ...SERVER_NODE_FLAGS,
          '--import',
          'tsx',
          path.join(repoRoot, 'apps/server/src/cli.ts'),
          'retention',
          '--dry-run',
          '--days',
          String(DAYS),
        ],
        {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: s.testDb.url, RUNYARD_EXECUTOR_MODULE: SCRIPTED_EXECUTOR_MODULE },
        },
      )
      expect(cli.stdout).toContain(
        `event logs of finished runs   ${expected.runEvents.runs} runs, ${expected.runEvents.batches} rows, ${expected.runEvents.events} events`,
      )
      expect(cli.stdout).toContain('leftover run keys             1')
      expect(cli.stdout).toContain(`archived sessions             1, with 1 chats, ${goneMessages} messages, 1 runs`)
      expect(cli.stdout).toContain('archived sessions kept        3')
      expect(cli.stdout).toContain('webhook delivery log entries  0')
      expect(cli.stderr).toContain('nothing was')
      expect(await eventRows()).toEqual(before)

      const runsBefore = await ids('Run')
      const sessionsBefore = await ids('Session')
      const messagesBefore = (await sql(`SELECT count(*)::int AS n FROM "Message"`)).rows[0].n as number

      // the sweep, 2 rows per statement
      const swept = await retention.sweep(DAYS, { batchSize: 2 })
      expect(swept.counts).toEqual(expected)

      // exactly the kept logs remain, whole
      const after = await eventRows()
      expect(Object.keys(after).sort()).toEqual([...kept].sort())
      for (const id of kept) expect(after[id]).toEqual(before[id])
      // every run row but the deleted session's
      expect(await ids('Run')).toEqual(new Set([...runsBefore].filter((id) => id !== gone.runId)))
      expect(await ids('Session')).toEqual(new Set([...sessionsBefore].filter((id) => id !== gone.sessionId)))
      expect(await ids('Chat')).not.toContain(gone.chatId)
      expect((await sql(`SELECT count(*)::int AS n FROM "Message"`)).rows[0].n).toBe(messagesBefore - goneMessages)
      expect(await ids('ApiKey')).not.toContain('key_leftover_old')
      expect(await ids('ApiKey')).toContain('key_leftover_new')
      // the deleted session's managed folder is gone, a kept one's is not
      await expect(fs.stat(goneFolder)).rejects.toThrow()
      await expect(fs.stat(keptFolder)).resolves.toBeTruthy()
      // active runs untouched
      expect(await status(active.runId)).toBe('running')
      expect(await status(archivedActive.runId)).toBe('running')

      // a run whose log is gone: still there (status, usage), its stream ends at once with nothing
      const oldRun = await s.api(`/api/chat/runs/${old1.runId}`)
      expect(oldRun.body).toMatchObject({ runId: old1.runId, status: 'completed' })
      const stream = await fetch(`${s.url}/api/chat/runs/${old1.runId}/events`, { signal: AbortSignal.timeout(10_000) })
      expect(stream.status).toBe(200)
      expect(await stream.text()).not.toContain('text_delta')

      // nothing left to delete; a second sweep deletes nothing
      const none = {
        runEvents: { runs: 0, batches: 0, events: 0 },
        runKeys: 0,
        archivedSessions: { sessions: 0, chats: 0, messages: 0, runs: 0 },
        archivedSessionsKept: 3,
        webhookDeliveries: 0,
      }
      expect((await retention.count(DAYS)).counts).toEqual(none)
      expect((await retention.sweep(DAYS)).counts).toEqual(none)
    },
  )

  it('deletes webhook delivery log entries finished before the cutoff, never a pending one', async () => {
    const run = await finished()
    await sql(
      `INSERT INTO "WebhookEndpoint" (id, "accountId", url, "eventTypes", secret, "updatedAt") VALUES ('whep_retention', $1, 'https://hooks.example.com/', '{run.completed}', 'whsec_x', now())`,
      LOCAL_ACCOUNT_ID,
    )
    // id, status, days since it was created, since its last attempt, since it succeeded
    const entries: [string, string, number, number | null, number | null][] = [
      ['whmsg_old_succeeded', 'succeeded', 40, 40, 40],
      ['whmsg_old_failed', 'failed', 40, 39, null],
      ['whmsg_old_pending', 'pending', 40, 39, null], // still being retried (or redelivered): kept
      ['whmsg_old_retried_lately', 'failed', 40, 2, null], // redelivered 2 days ago: kept
      ['whmsg_recent', 'succeeded', 1, 1, 1],
    ]
    for (const [id, st, created, attempted, succeeded] of entries)
      await sql(
        `INSERT INTO "WebhookDelivery" (id, "endpointId", "accountId", "runId", "eventType", payload, status, "createdAt", "lastAttemptAt", "succeededAt")
         VALUES ($1, 'whep_retention', $2, $3, 'run.completed', '{}', $4::"WebhookDeliveryStatus", now() - $5 * interval '1 day',
           now() - $6 * interval '1 day', now() - $7 * interval '1 day')`,
        id,
        LOCAL_ACCOUNT_ID,
        run.runId,
        st,
        created,
        attempted,
        succeeded,
      )
    expect((await retention.count(DAYS)).counts.webhookDeliveries).toBe(2)
    const swept = await retention.sweep(DAYS, { batchSize: 1 })
    expect(swept.counts.webhookDeliveries).toBe(2)
    expect(await ids('WebhookDelivery')).toEqual(
      new Set(['whmsg_old_pending', 'whmsg_old_retried_lately', 'whmsg_recent']),
    )
    expect((await retention.count(DAYS)).counts.webhookDeliveries).toBe(0)
    await sql(`DELETE FROM "WebhookEndpoint" WHERE id = 'whep_retention'`)
  })

  it('refuses an unknown CLI flag with the usage and exit code 2, deleting nothing', async () => {
    const before = Object.keys(await eventRows())
    const refused = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), 'retention', '--dry-runn', '--days', '1'],
      {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: s.testDb.url },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    )
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("Unknown option '--dry-runn'")
    expect(refused.stderr).toContain('retention [--dry-run] [--days N]')
    expect(Object.keys(await eventRows())).toEqual(before)
  }, 60_000)

  it('is scheduled hourly with pg-boss when RUNYARD_RETENTION_DAYS is set', { timeout: 60_000 }, async () => {
    const scheduled = await startTestServer({
      testDb: s.testDb,
      env: { RUNYARD_WORKSPACES_DIR: workspaces, RUNYARD_RETENTION_DAYS: String(DAYS), RUNYARD_WORKERS: 'false' },
    })
    try {
      const { rows } = await sql(`SELECT name, cron, timezone FROM pgboss.schedule`)
      expect(rows).toEqual([{ name: 'runyard-retention', cron: '17 * * * *', timezone: 'UTC' }])
    } finally {
      await scheduled.stop()
    }
  })
})

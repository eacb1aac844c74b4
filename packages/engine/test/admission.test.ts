// Admission of a run: one statement with its queue job (admission.ts, NEW_CHAT and EXISTING_CHAT),
// or behind the rate limits' statement in one round trip (oneTrip: COMMIT is sent behind the
// statements before their answers). These check that a failure anywhere still leaves nothing, and
// that the job is the one pg-boss's own send writes.
import { newId } from '@runyard/contract'
import { seedAccount } from '@runyard/testkit'
import { PgBoss } from 'pg-boss'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enqueueRun, RUN_QUEUE } from '../src/queue.ts'
import { harness, newChatRun, scripted, type Harness } from './support/harness.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

/** What an admission writes, counted by its ids. */
async function written(req: ReturnType<typeof newChatRun>) {
  const { rows } = await h.db.pool.query<{ sessions: number; chats: number; runs: number; keys: number; jobs: number }>(
    `SELECT (SELECT count(*) FROM "Session" WHERE id = $1)::int AS sessions,
       (SELECT count(*) FROM "Chat" WHERE id = $2)::int AS chats,
       (SELECT count(*) FROM "Run" WHERE "chatId" = $2)::int AS runs,
       (SELECT count(*) FROM "ApiKey" k JOIN "Run" r ON r.id = k."runId" WHERE r."chatId" = $2)::int AS keys,
       (SELECT count(*) FROM pgboss.job WHERE name = 'runyard-runs' AND singleton_key = $2)::int AS jobs`,
    [req.provision.sessionId, req.chatId],
  )
  return rows[0]!
}

/** A job row as pg-boss stores it, without what differs per job (its ids, data and times). */
async function jobSettings(singletonKey: string, runId?: string) {
  const { rows } = await h.db.pool.query<Record<string, unknown>>(
    `SELECT to_jsonb(j) AS job, tableoid::regclass::text AS "table", (keep_until - start_after)::text AS kept,
       (start_after - created_on)::text AS delayed FROM pgboss.job j
     WHERE name = $1 AND singleton_key = $2 AND ($3::text IS NULL OR data->>'runId' = $3)`,
    [RUN_QUEUE, singletonKey, runId ?? null],
  )
  expect(rows).toHaveLength(1)
  const { job, ...rest } = rows[0]! as { job: Record<string, unknown> }
  const { id, data, singleton_key, created_on, start_after, keep_until, ...settings } = job
  expect([id, data, singleton_key, created_on, start_after, keep_until].every((v) => v !== null)).toBe(true)
  return { ...settings, ...rest, data }
}

/** The job pg-boss's own send writes for this run (as admission sent it before), on another chat. */
async function sentThroughPgBoss(runId: string) {
  const boss = new PgBoss({ connectionString: h.db.url, schema: 'pgboss', supervise: false, schedule: false })
  boss.on('error', () => {})
  await boss.start()
  try {
    const chatId = newId('chat')
    await enqueueRun(boss, runId, chatId, undefined, crypto.randomUUID())
    return await jobSettings(chatId)
  } finally {
    await boss.stop({ graceful: false })
  }
}

describe('admission of a new chat (one statement)', () => {
  it('writes the session, chat, run, key and job together, and the connection serves the next one', async () => {
    const engine = await h.engine({ executor: null })
    const accountId = await seedAccount(h.db.prisma)
    for (let i = 0; i < 3; i++) {
      const req = newChatRun(accountId)
      const run = await engine.startRun(req)
      expect(run).toMatchObject({ chatId: req.chatId, sessionId: req.provision.sessionId, status: 'queued' })
      expect(await written(req)).toEqual({ sessions: 1, chats: 1, runs: 1, keys: 1, jobs: 1 })
    }
  })

  it("writes the run's job as pg-boss's send writes it (every column but its ids and times)", async () => {
    const engine = await h.engine({ executor: null })
    const req = newChatRun(await seedAccount(h.db.prisma))
    const run = await engine.startRun(req)
    const admitted = await jobSettings(req.chatId)
    expect(admitted.data).toEqual({ runId: run.id })
    expect(admitted).toEqual(await sentThroughPgBoss(run.id))
  })

  it('with a rate limit on: writes all of it in one transaction, and a refused admission writes nothing', async () => {
    const engine = await h.engine({ executor: null, config: { limits: { runsPerMinutePerAccount: 1 } } })
    const accountId = await seedAccount(h.db.prisma)
    const first = newChatRun(accountId)
    await engine.startRun(first)
    expect(await written(first)).toEqual({ sessions: 1, chats: 1, runs: 1, keys: 1, jobs: 1 })
    const refused = newChatRun(accountId)
    await expect(engine.startRun(refused)).rejects.toMatchObject({ code: 'rate_limited' })
    expect(await written(refused)).toEqual({ sessions: 0, chats: 0, runs: 0, keys: 0, jobs: 0 })
  })

  it('writes nothing when its statement fails (an unknown account), and the next admission works', async () => {
    const engine = await h.engine({ executor: null })
    const failing = newChatRun(newId('account'))
    await expect(engine.startRun(failing)).rejects.toThrow()
    expect(await written(failing)).toEqual({ sessions: 0, chats: 0, runs: 0, keys: 0, jobs: 0 })
    const ok = newChatRun(await seedAccount(h.db.prisma))
    await engine.startRun(ok)
    expect(await written(ok)).toEqual({ sessions: 1, chats: 1, runs: 1, keys: 1, jobs: 1 })
  })

  it('writes nothing when the job is not written although nothing failed', async () => {
    const engine = await h.engine({ executor: null })
    const accountId = await seedAccount(h.db.prisma)
    // pg-boss's insert skips a conflicting job (ON CONFLICT DO NOTHING) with no error, while the
    // COMMIT is already on its way; a trigger that drops this chat's job stands in for a conflict.
    const req = newChatRun(accountId)
    await h.db.pool.query(`CREATE FUNCTION skip_job() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.singleton_key = '${req.chatId}' THEN RETURN NULL; END IF; RETURN NEW; END $$`)
    await h.db.pool.query(
      `CREATE TRIGGER skip_job BEFORE INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION skip_job()`,
    )
    await expect(engine.startRun(req)).rejects.toThrow(/refused the job/)
    expect(await written(req)).toEqual({ sessions: 0, chats: 0, runs: 0, keys: 0, jobs: 0 })
    const next = newChatRun(accountId)
    await engine.startRun(next)
    expect(await written(next)).toEqual({ sessions: 1, chats: 1, runs: 1, keys: 1, jobs: 1 })
  })
})

describe('admission on an existing chat (one statement)', () => {
  /** What is there for this chat: its runs, their keys, its jobs, and the runs holding its lock. */
  async function onChat(chatId: string) {
    const { rows } = await h.db.pool.query<{ runs: number; keys: number; jobs: number; locked: number }>(
      `SELECT (SELECT count(*) FROM "Run" WHERE "chatId" = $1)::int AS runs,
         (SELECT count(*) FROM "ApiKey" k JOIN "Run" r ON r.id = k."runId" WHERE r."chatId" = $1)::int AS keys,
         (SELECT count(*) FROM pgboss.job WHERE name = 'runyard-runs' AND singleton_key = $1)::int AS jobs,
         (SELECT count(*) FROM "Run" WHERE "lockedChatId" = $1)::int AS locked`,
      [chatId],
    )
    return rows[0]!
  }

  it('refuses a busy chat writing nothing, queues a waiting run without a job, and a free chat gets the job pg-boss writes', async () => {
    const engine = await h.engine({ executor: null })
    const first = newChatRun(await seedAccount(h.db.prisma))
    const active = await engine.startRun(first)
    const { provision: _, ...onExisting } = first
    const next = (ifBusy: 'reject' | 'enqueue') => ({ ...onExisting, ifBusy, input: scripted([{ text: 'again' }]) })

    await expect(engine.startRun(next('reject'))).rejects.toMatchObject({ code: 'chat_busy' })
    expect(await onChat(first.chatId)).toEqual({ runs: 1, keys: 1, jobs: 1, locked: 1 })

    const waiting = await engine.startRun(next('enqueue'))
    expect(waiting.status).toBe('queued')
    expect(await onChat(first.chatId)).toEqual({ runs: 2, keys: 2, jobs: 1, locked: 1 })

    // Cancelling the active run promotes the waiting one (its job then); cancelling that frees the chat.
    await engine.cancelRun(first.accountId, active.id)
    await engine.cancelRun(first.accountId, waiting.id)
    // (a finished run's key is deleted)
    expect(await onChat(first.chatId)).toEqual({ runs: 2, keys: 0, jobs: 2, locked: 0 })

    const admitted = await engine.startRun(next('reject'))
    expect(await onChat(first.chatId)).toEqual({ runs: 3, keys: 1, jobs: 3, locked: 1 })
    expect(await jobSettings(first.chatId, admitted.id)).toEqual(await sentThroughPgBoss(admitted.id))
  })

  it('writes nothing when the job is not written although nothing failed', async () => {
    const engine = await h.engine({ executor: null })
    const first = newChatRun(await seedAccount(h.db.prisma))
    const active = await engine.startRun(first)
    await engine.cancelRun(first.accountId, active.id)
    await h.db.pool.query(`CREATE FUNCTION skip_job() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.singleton_key = '${first.chatId}' THEN RETURN NULL; END IF; RETURN NEW; END $$`)
    await h.db.pool.query(
      `CREATE TRIGGER skip_job BEFORE INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION skip_job()`,
    )
    const { provision: _, ...onExisting } = first
    await expect(engine.startRun({ ...onExisting, input: scripted([{ text: 'again' }]) })).rejects.toThrow(
      /refused the job/,
    )
    expect(await onChat(first.chatId)).toEqual({ runs: 1, keys: 0, jobs: 1, locked: 0 })
  })
})

// Scheduled jobs (schedules.ts): each process that has the job keeps its pg-boss schedule and
// works its queue; an occurrence (sent here by hand instead of waiting for the cron) runs once
// across two processes, and stopping a process aborts the job it is running.
import { createTestDb, type TestDb } from '@runyard/testkit'
import { PgBoss } from 'pg-boss'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine, type ScheduledJob } from '../src/index.ts'
import { testLogger } from './support/harness.ts'

const NAME = 'runyard-test-job'

let db: TestDb
let engines: Engine[]
let sender: PgBoss

beforeEach(async () => {
  db = await createTestDb()
  engines = []
  sender = new PgBoss({ connectionString: db.url, schema: 'pgboss', supervise: false, schedule: false })
})

afterEach(async () => {
  await sender.stop({ graceful: false }).catch(() => {})
  for (const e of engines) await e.stop().catch(() => {})
  await db.drop()
})

async function engineWith(job: ScheduledJob): Promise<Engine> {
  const engine = createEngine({ db, log: testLogger, schedules: [job] })
  await engine.start()
  engines.push(engine)
  return engine
}

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('scheduled jobs', () => {
  it(
    'keep their schedule in the database, and an occurrence runs once across two processes',
    { timeout: 60_000 },
    async () => {
      const ran: string[] = []
      const job = (who: string): ScheduledJob => ({
        name: NAME,
        cron: '0 3 * * *',
        run: async () => void ran.push(who),
      })
      await engineWith(job('one'))
      await engineWith(job('two'))
      const schedules = await db.prisma.$queryRaw<
        { name: string; cron: string; timezone: string }[]
      >`SELECT name, cron, timezone FROM pgboss.schedule`
      expect(schedules).toEqual([{ name: NAME, cron: '0 3 * * *', timezone: 'UTC' }])

      await sender.start()
      await sender.send(NAME, {})
      await until('the job ran', () => ran.length > 0)
      // both processes work the queue; the one job went to one of them
      await new Promise((r) => setTimeout(r, 1_000))
      expect(ran).toHaveLength(1)
    },
  )

  it('stopping the process aborts the job it runs', { timeout: 60_000 }, async () => {
    let started = false
    let aborted = false
    const engine = await engineWith({
      name: NAME,
      cron: '0 3 * * *',
      run: (signal) =>
        new Promise<void>((resolve) => {
          started = true
          signal.addEventListener('abort', () => {
            aborted = true
            resolve()
          })
        }),
    })
    await sender.start()
    await sender.send(NAME, {})
    await until('the job started', () => started)
    await engine.stop()
    engines.splice(0)
    expect(aborted).toBe(true)
  })
})

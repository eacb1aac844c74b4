import { collectRunEvents, createTestDb, scriptPrompt, seedChat, type TestDb } from '@runyard/testkit'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { slottedClient, StatementSlots } from '../src/statement-slots.ts'
import { expectContiguous, harness, type Harness } from './support/harness.ts'

function deferred() {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('StatementSlots', () => {
  it('runs at most `size` statements at once, first come first served, and a failed one frees its slot', async () => {
    const slots = new StatementSlots(2)
    const gates = Array.from({ length: 5 }, deferred)
    const started: number[] = []
    const results = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i)
        await g.promise
        return i
      }),
    )
    await turn()
    expect(started).toEqual([0, 1])
    gates[1]!.reject(new Error('statement failed'))
    await expect(results[1]).rejects.toThrow('statement failed')
    await turn()
    expect(started).toEqual([0, 1, 2])
    gates[0]!.resolve()
    gates[2]!.resolve()
    await turn()
    expect(started).toEqual([0, 1, 2, 3, 4])
    gates[3]!.resolve()
    gates[4]!.resolve()
    expect(await Promise.all([results[0], results[2], results[3], results[4]])).toEqual([0, 2, 3, 4])
  })

  it('refuses a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new StatementSlots(size)).toThrow(RangeError)
  })
})

describe('slotted pg clients (real PostgreSQL)', () => {
  let db: TestDb
  let admin: pg.Client
  let pool: pg.Pool
  beforeEach(async () => {
    db = await createTestDb()
    admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    await admin.query('CREATE TABLE slot_probe (id int PRIMARY KEY, v int); INSERT INTO slot_probe VALUES (1, 0)')
    pool = new pg.Pool({ connectionString: db.url, max: 3, Client: slottedClient(pg.Client, new StatementSlots(1)) })
  })
  afterEach(async () => {
    await pool.end()
    await admin.end()
    await db.drop()
  })

  const waitForLockWait = async () => {
    for (;;) {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE slot_probe%'`,
      )
      if (rows[0].n > 0) return
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  it('a statement outside a transaction waits while the only slot is taken', async () => {
    // The lock holder is not `admin`: inside a transaction, pg_stat_activity is a snapshot.
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('UPDATE slot_probe SET v = 1 WHERE id = 1') // holds the row lock
      const settled: string[] = []
      const blocked = pool.query('UPDATE slot_probe SET v = 2 WHERE id = 1').then(() => settled.push('blocked'))
      await waitForLockWait()
      const next = pool.query('SELECT 1').then(() => settled.push('next'))
      // Without the slot, SELECT 1 would be answered at once.
      await new Promise((r) => setTimeout(r, 300))
      expect(settled).toEqual([])
      await holder.query('COMMIT')
      await Promise.all([blocked, next])
      expect(settled).toEqual(['blocked', 'next'])
    } finally {
      await holder.end() // also releases the lock when an expectation failed
    }
  })

  it('statements inside a transaction do not wait, so a statement holding the slot and waiting on its locks cannot deadlock it', async () => {
    const tx = await pool.connect()
    try {
      await tx.query('BEGIN')
      await tx.query('UPDATE slot_probe SET v = 1 WHERE id = 1')
      // Takes the only slot, then waits for the transaction's row lock.
      const waiting = pool.query('UPDATE slot_probe SET v = v + 10 WHERE id = 1 RETURNING v')
      await waitForLockWait()
      await tx.query('UPDATE slot_probe SET v = v + 1 WHERE id = 1')
      await tx.query('COMMIT')
      expect((await waiting).rows).toEqual([{ v: 12 }])
    } finally {
      tx.release()
    }
  })
})

describe('workers with one statement slot', () => {
  let h: Harness
  beforeEach(async () => {
    h = await harness()
  })
  afterEach(async () => {
    await h.close()
  })

  it('still run many concurrent runs to completion, each log gap-free', async () => {
    const engine = await h.engine({ config: { concurrency: 8, workerStatementConcurrency: 1 } })
    const runs = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const { accountId, chatId } = await seedChat(h.db.prisma)
        const prompt = scriptPrompt([
          { text: `run ${i}`, chunks: 4 },
          { step: { input: 1, output: 1 } },
          { sleep: 20 },
          { text: 'end' },
        ])
        const run = await engine.startRun({
          accountId,
          chatId,
          kind: 'async',
          model: 'scripted',
          input: { messages: [{ id: `m${i}`, role: 'user', parts: [{ type: 'text', text: prompt }] }] },
        })
        return { accountId, run }
      }),
    )
    for (const { accountId, run } of runs) {
      const events = await collectRunEvents(engine.streamRunEvents(accountId, run.id))
      expectContiguous(events)
      expect(events.at(-1)?.event.type).toBe('done')
      expect((await engine.getRun(accountId, run.id)).status).toBe('completed')
    }
  })
})

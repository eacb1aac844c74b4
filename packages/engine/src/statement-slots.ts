// A limit on how many of the workers' database statements run at once in one process. Without it
// a burst of executions (a backlog drained by every worker loop at once) puts one busy PostgreSQL
// backend per worker on the CPUs the API's statements need: with 8 loops at 200 runs/s on 2 cores,
// admission p99 was ~26–34 ms without the limit and ~15–20 ms with 3 slots (docs/benchmarks.md,
// seventh pass). Runs in flight are still `concurrency`; only their statements take turns.
//
// Only statements outside a transaction wait for a slot. A transaction holds locks between its
// statements, and a statement holding a slot may be waiting on one of those locks: if the
// transaction's next statement waited for a slot in turn, neither would ever proceed.
import type pg from 'pg'
import type { DbPool } from './types.ts'

export class StatementSlots {
  private inUse = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new RangeError(`statement slots must be a positive integer (got ${size})`)
  }

  /** Runs `statement` once a slot is free (first come, first served). */
  async run<T>(statement: () => Promise<T>): Promise<T> {
    if (this.inUse < this.size) this.inUse++
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await statement()
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift()
      if (next) next()
      else this.inUse--
    }
  }
}

type QueryArgs = [text: unknown, values?: unknown, callback?: unknown]
type QueryFn = (this: unknown, ...args: QueryArgs) => unknown

/**
 * The engine's pool as the workers use it: `query` (one statement, outside any transaction) waits
 * for a slot; `connect` does not, so a transaction never waits between its statements.
 */
export function slottedPool(pool: pg.Pool, slots: StatementSlots): DbPool {
  const query = pool.query as QueryFn
  return {
    query: ((...args: QueryArgs) => slots.run(async () => query.apply(pool, args))) as pg.Pool['query'],
    connect: pool.connect.bind(pool),
  }
}

/** A pg.Client class whose statements issued outside a transaction wait for a slot (pg-boss's pool). */
export function slottedClient<C extends typeof pg.Client>(Base: C, slots: StatementSlots): C {
  const query = Base.prototype.query as QueryFn
  const Slotted = class extends (Base as typeof pg.Client) {}
  Object.defineProperty(Slotted.prototype, 'query', {
    value(this: pg.Client, ...[text, values, callback]: QueryArgs) {
      const status = this.getTransactionStatus() // 'I' outside a transaction, null before the first statement ends
      const submittable = typeof (text as { submit?: unknown } | null)?.submit === 'function'
      if (status === 'T' || status === 'E' || submittable) return query.call(this, text, values, callback)
      if (typeof values === 'function') [values, callback] = [undefined, values]
      if (typeof callback !== 'function') return slots.run(async () => query.call(this, text, values))
      // Callback style (how pg.Pool's own query calls it): the slot is held until the callback.
      const done = callback as (err: unknown, result: unknown) => void
      void slots.run(
        () =>
          new Promise<void>((release) => {
            const settle = (err: unknown, result?: unknown) => {
              release()
              done(err, result)
            }
            try {
              query.call(this, text, values, settle)
            } catch (err) {
              settle(err)
            }
          }),
      )
      return undefined
    },
  })
  return Slotted as C
}

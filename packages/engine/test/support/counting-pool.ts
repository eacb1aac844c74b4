import type { DbPool } from '../../src/types.ts'

/** `pool`, counting the statements sent outside a transaction (a batch's one statement counts once). */
export function countingPool(pool: DbPool): { pool: DbPool; statements: () => number } {
  let n = 0
  const query = ((...args: Parameters<DbPool['query']>) => {
    n++
    return (pool.query as (...a: unknown[]) => unknown)(...args)
  }) as DbPool['query']
  return { pool: { query, connect: () => pool.connect() }, statements: () => n }
}

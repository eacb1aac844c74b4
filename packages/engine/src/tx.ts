import type pg from 'pg'
import type { DbPool } from './types.ts'

export async function withTransaction<T>(pool: DbPool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  // A connection dying mid-statement emits 'error' on the checked-out client (the pool's own
  // listener is off while we hold it); the statement rejects with that error anyway.
  const ignore = () => {}
  client.on('error', ignore)
  try {
    // On a pipelining connection (the engine's pool) BEGIN travels with the first statement: one
    // round trip less. It can only fail with the connection, and then so does that statement.
    const begin = client.query('BEGIN')
    begin.catch(() => {}) // when `fn` fails first, its error is the one reported
    if (!client.pipeline) await begin
    const result = await fn(client)
    await begin
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.off('error', ignore)
    client.release()
  }
}

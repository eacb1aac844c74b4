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
    // The socket is corked until the next turn of the event loop, so BEGIN and the statements `fn`
    // sends before then (admission's statement and its queue job) leave in one write rather than
    // one each: on these VMs each write that wakes the idle backend cost ~0.3–0.7 ms of this
    // process's CPU (profiled: the lone BEGIN write was ~25 % of an admission's node CPU).
    if (client.pipeline) corkUntilNextTurn(client)
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

/** Buffers the connection's writes until the next turn of the event loop (after every pending promise job). */
function corkUntilNextTurn(client: pg.PoolClient) {
  const stream = client.connection.stream
  stream.cork()
  setImmediate(() => stream.uncork())
}

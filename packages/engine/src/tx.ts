import type pg from 'pg'

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  // A connection dying mid-statement emits 'error' on the checked-out client (the pool's own
  // listener is off while we hold it); the statement rejects with that error anyway.
  const ignore = () => {}
  client.on('error', ignore)
  try {
    await client.query('BEGIN')
    const result = await fn(client)
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

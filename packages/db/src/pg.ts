// Raw `pg` access for the engine's hot paths (admission, event log, LISTEN/NOTIFY, pg-boss).
// Sessions run in UTC and `timestamp` columns (Prisma's DateTime) are read as UTC, matching
// how Prisma writes them.
import pg from 'pg'

const TIMESTAMP_OID = 1114

/**
 * Rows written by one statement share their timestamp, and a page of a run's events is mostly
 * such rows: the last text parsed is remembered, so a repeat costs a comparison, not a parse.
 */
function utcTimestampParser(): (value: string) => Date {
  let lastText = ''
  let lastTime = NaN
  return (value) => {
    if (value !== lastText) {
      lastText = value
      lastTime = Date.parse(value.replace(' ', 'T') + 'Z')
    }
    return new Date(lastTime)
  }
}

const parseUtcTimestamp = utcTimestampParser()

const utcTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? parseUtcTimestamp
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** Connection settings shared by every pool (Prisma's included): sessions in UTC. */
export function pgConfig(url: string, extra: pg.PoolConfig = {}): pg.PoolConfig {
  return { connectionString: url, options: '-c TimeZone=UTC', ...extra }
}

export function createPgPool(url: string, extra: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool(pgConfig(url, { types: utcTypes, ...extra }))
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => {})
  return pool
}

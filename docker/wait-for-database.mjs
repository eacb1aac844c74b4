// Waits until DATABASE_URL's PostgreSQL answers a query, for at most <seconds> seconds. The
// container entrypoint runs it before migrating or serving, so that a database that is still
// starting (compose, a managed database after a restart) does not fail the first connection,
// and one that never comes fails with one readable line instead of a driver's stack.
//
// Usage: node wait-for-database.mjs <app dir> <seconds>
// Exit 0: it answered. 1: it did not within the bound, or refused us for good (wrong password,
// no such database). 2: bad arguments or a DATABASE_URL that is not a URL.
import { createRequire } from 'node:module'
import path from 'node:path'

const [appDir, secondsArg] = process.argv.slice(2)
const say = (message) => process.stderr.write(`[runyard] ${message}\n`)

const seconds = Number(secondsArg)
if (!appDir || !Number.isFinite(seconds) || seconds <= 0) {
  say(`RUNYARD_DB_WAIT_SECONDS must be a positive number of seconds, got "${secondsArg ?? ''}"`)
  process.exit(2)
}

const url = process.env.DATABASE_URL ?? ''
let where
try {
  where = describe(new URL(url))
} catch {
  say('DATABASE_URL is not a URL (postgresql://user:password@host:5432/database)')
  process.exit(2)
}

// The server's own driver (node-postgres, a dependency of @runyard/db), so the URL means here
// exactly what it means to the server.
const pg = createRequire(path.join(appDir, 'packages/db/package.json'))('pg')

/** SQLSTATE classes and codes that waiting cannot fix. */
const FOR_GOOD = [/^28/, /^3D000$/]

const deadline = Date.now() + seconds * 1000
const started = Date.now()
let attempts = 0
let lastProblem = ''
for (;;) {
  attempts++
  const remaining = deadline - Date.now()
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: Math.max(500, Math.min(5000, remaining)),
  })
  // A connection dropped by the server after connecting is reported here instead of crashing.
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    await client.end()
    if (attempts > 1) say(`the database at ${where} answered after ${Math.round((Date.now() - started) / 1000)} s`)
    process.exit(0)
  } catch (err) {
    await client.end().catch(() => {})
    const code = typeof err?.code === 'string' ? err.code : ''
    lastProblem = [code, err instanceof Error ? err.message.split('\n')[0] : String(err)].filter(Boolean).join(': ')
    if (FOR_GOOD.some((re) => re.test(code))) {
      say(`the database at ${where} refused the connection (${lastProblem}); check DATABASE_URL`)
      process.exit(1)
    }
  }
  if (Date.now() + 1000 >= deadline) break
  await new Promise((resolve) => setTimeout(resolve, 1000))
}
say(
  `the database at ${where} did not answer within ${seconds} s (${lastProblem}); check DATABASE_URL and that PostgreSQL is running`,
)
process.exit(1)

/** host:port/database of a connection URL, without its user or password (a socket path as ?host=). */
function describe(u) {
  const socket = u.searchParams.get('host')
  const host = socket ?? `${u.hostname || 'localhost'}:${u.port || '5432'}`
  return `${host}${decodeURIComponent(u.pathname) || '/'}`
}

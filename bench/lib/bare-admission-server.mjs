// The bare baseline for admission: a plain `node:http` handler doing the database work of
// `POST /api/chat/runs` (a new session, chat, run, its ephemeral key, its first event batch and the
// pg-boss job) as ONE statement — one transaction, one round trip — on a plain pg.Pool against the
// same PostgreSQL as the Runyard server of that round, and both notifications once it committed,
// sent as Runyard sends them (packages/engine/src/notifier.ts: whatever queued during the previous
// send, in one statement on a connection whose commits do not wait for the WAL flush). No framework, no
// validation, no auth: what is left is the transaction itself, so Runyard's admission latency over
// this one is what the server adds. Run as its own process with the server's Node flags.
//   BARE_DATABASE_URL=… node bare-admission-server.mjs   → prints its port, serves until killed
// It must run against an API process without workers: its queued runs are real rows in the
// run queue (jobs in `runyard-runs`), which a worker would otherwise pick up and execute.
import crypto from 'node:crypto'
import http from 'node:http'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10, options: '-c TimeZone=UTC' })
pool.on('error', () => {})
const notifications = new pg.Client({ connectionString: process.env.BARE_DATABASE_URL })
notifications.on('error', () => {})
await notifications.connect()
await notifications.query('SET synchronous_commit = off')
let outbox = { channels: [], payloads: [] }
let sending
const notify = (channel, payload) => {
  outbox.channels.push(channel)
  outbox.payloads.push(payload)
  sending ??= (async () => {
    await new Promise((resolve) => setImmediate(resolve))
    while (outbox.channels.length) {
      const { channels, payloads } = outbox
      outbox = { channels: [], payloads: [] }
      await notifications
        .query({
          name: 'bare-notify',
          text: 'SELECT count(pg_notify(c, p))::int FROM unnest($1::text[], $2::text[]) AS n(c, p)',
          values: [channels, payloads],
        })
        .catch(() => {})
    }
    sending = undefined
  })()
}

// What the Runyard server's own admissions in this database used (it is warmed up first): the
// account, and the session settings a new headless chat gets.
const {
  rows: [like],
} = await pool.query(
  `SELECT r."accountId", r.model, r."maxAttempts", s."sandboxType", s."modelId", s."providerId" FROM "Run" r JOIN "Session" s ON s.id = r."sessionId" ORDER BY r."createdAt" DESC LIMIT 1`,
)
if (!like) throw new Error('bare admission: the database has no run to copy the account and session settings from')

/** Time-ordered ids like the server's ULIDs (btree inserts land at the right edge, as theirs do). */
let lastMs = 0
let counter = 0
const id = (prefix) => {
  const now = Date.now()
  counter = now === lastMs ? counter + 1 : 0
  lastMs = now
  return `${prefix}_${now.toString(32).padStart(10, '0')}${counter.toString(32).padStart(3, '0')}${crypto.randomBytes(8).toString('hex')}`
}

const QUEUED = JSON.stringify({ type: 'run_status', status: 'queued' })

// $1 session, $2 account, $3 chat, $4 run, $5 title, $6 sandbox type, $7 model id, $8 provider id,
// $9 model, $10 input, $11 max attempts, $12 job id, $13 key id, $14 key prefix, $15 key hash,
// $16 the first event, $17 the job's data. The job row: the columns pg-boss's send fills, with
// the queue's settings read from its row as pg-boss's insert does.
const ADMIT = {
  name: 'bare-admit',
  text: `
WITH session AS (
  INSERT INTO "Session" (id, "accountId", title, "sandboxType", "modelId", "providerId", "updatedAt")
  VALUES ($1, $2, $5, $6::"SandboxType", $7, $8, now()) RETURNING id
), chat AS (
  INSERT INTO "Chat" (id, "sessionId", "accountId", title, "updatedAt") SELECT $3, session.id, $2, $5, now() FROM session RETURNING id, "sessionId"
), run AS (
  INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, status, "lockedChatId", model, input, "maxAttempts", "jobId", "lastSeq")
  SELECT $4, $2, chat.id, chat."sessionId", 'async', 'queued', chat.id, $9, $10::jsonb, $11, $12, 1 FROM chat RETURNING *
), key AS (
  INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash, "expiresAt", "runId")
  SELECT $13, $2, 'run ' || run.id, 'ephemeral', $14, $15, now() + interval '15 minutes', run.id FROM run
), event AS (
  INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) SELECT run.id, 1, 1, 'run_status', $16 FROM run
), job AS (
  INSERT INTO pgboss.job_common (id, name, data, priority, start_after, created_on, singleton_key, expire_seconds, deletion_seconds, keep_until,
    retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds)
  SELECT $12::uuid, q.name, $17::jsonb, 0, now(), now(), $3, q.expire_seconds, q.deletion_seconds, now() + q.retention_seconds * interval '1s',
    q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
  FROM pgboss.queue q WHERE q.name = 'runyard-runs'
)
SELECT run.* FROM run`,
}

const server = http.createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (d) => (body += d))
  req.on('end', () => {
    const prompt = JSON.parse(body).prompt
    const runId = id('run')
    const jobId = crypto.randomUUID()
    const input = JSON.stringify({
      messages: [{ id: id('msg'), role: 'user', parts: [{ type: 'text', text: prompt }] }],
    })
    const values = [
      id('ses'),
      like.accountId,
      id('chat'),
      runId,
      prompt.slice(0, 80),
      like.sandboxType,
      like.modelId,
      like.providerId,
      like.model,
      input,
      like.maxAttempts,
      jobId,
      id('key'),
      crypto.randomBytes(4).toString('hex'),
      crypto.randomBytes(32).toString('hex'),
      QUEUED,
      JSON.stringify({ runId }),
    ]
    pool.query({ ...ADMIT, values }).then(
      ({ rows: [run] }) => {
        notify('bench_bare_events', `${run.id}:1`)
        notify('bench_bare_runs', `${like.accountId}:${run.id}:queued`)
        const json = JSON.stringify({ runId: run.id, status: run.status, createdAt: run.createdAt })
        res.writeHead(202, {
          'content-type': 'application/json',
          location: `/api/chat/runs/${run.id}`,
          'content-length': Buffer.byteLength(json),
        })
        res.end(json)
      },
      (err) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(err))
      },
    )
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))

// The claim that starts every execution attempt (worker.ts), for one run or for the runs one fetch
// returned, in one statement either way (turn-batcher.ts): each run still fenced on its own.
import type { ExecutionSession, RunEvent } from '@runyard/contract'
import { encodeBatch, insertBatchSql, lastSeqSql } from './event-log/index.ts'
import { upsertMessagesCtes } from './messages.ts'
import { prepared } from './prepared.ts'
import type { RunRow } from './run-row.ts'
import { TurnBatcher } from './turn-batcher.ts'
import type { DbPool } from './types.ts'

export type ClaimedRow = RunRow & {
  previouslyStarted: boolean
  /** Whether the run's ephemeral key got the new secret (false: the key is gone). */
  keyIssued: boolean
  /** Seq of the `running` event the claim wrote (first attempts only; resumes write their own). */
  runningSeq: number | null
  /** The execution's session (with its workspace path); null when no execution follows. */
  session: ExecutionSession | null
}

/** One run to claim: its queue job and the hash and prefix of its ephemeral key's new secret. */
export interface ClaimRequest {
  runId: string
  jobId: string
  key: { hash: string; prefix: string }
}

/** What every claim of a worker shares. */
export interface ClaimSettings {
  workerId: string
  leaseMs: number
  ephemeralKeyTtlMs: number
}

/**
 * Claims runs for one execution attempt each, and in the same statement does what every execution
 * starts with, so that starting costs one round trip (for all the runs of one fetch together):
 * - `input` is the runs to claim (one, or the arrays of a batch); `prev` locks their rows in id
 *   order (two processes' batches cannot deadlock) and evaluates each one's fence (not cancelled,
 *   not terminal, not held by a live worker) on the row it locked: the latest version, which
 *   nobody else can change until the commit;
 * - `claimed` takes the lease of each run whose fence held; a run that fails it is simply not
 *   returned, the others are. Both find the rows by primary key only (`= ANY` of the ids: an index
 *   condition the planner cannot misjudge, whatever the table's statistics say). With the fence's
 *   status tests on the updated table, the planner scanned every queued and running run by status
 *   and joined them with the batch: under a backlog of 1,500 queued runs, 25 of a claim's 26 ms
 *   (docs/benchmarks.md, "fourth pass"), a cost that grew with the backlog it was draining;
 * - `live` narrows to claims that will execute (attempts left; otherwise the run is failed);
 * - each run's ephemeral key (minted at admission, deleted by FINISH_RUN however the run ends)
 *   gets its fresh secret's hash and a new TTL, so the plaintext is never stored or queued, a
 *   worker that lost its claim also loses its key, and time spent queued does not eat into the TTL;
 * - the session's activeStreamId points at the run, and the session is returned with its workspace;
 * - on a first attempt the `running` event is appended (seq after the admission's events, which
 *   committed with the job this claim comes from; a resume appends its own after reading the log);
 *   the worker sends both notifications once it is committed (notifier.ts);
 * - the run's input messages are saved to the chat's transcript (`msg_…`, messages.ts; at most one
 *   run per chat holds the chat's lock, so one per chat), on every attempt that executes, not only
 *   the first: a worker lost between its claim and a later save would otherwise leave the chat
 *   without them for good; the upsert by id makes a repeat change nothing. Not for a run of an
 *   archived session (it is cancelled before it starts).
 * $1 run id(s), $2 worker id, $3 job id(s), $4 lease ms, $5 key hash(es), $6 key prefix(es), $7 key
 * TTL ms, $8/$9 the first attempt's `running` event (FIRST_RUNNING's events and types).
 */
const claimSql = (input: string) => `
WITH input AS (
  ${input}
), prev AS (
  SELECT r.id, r."startedAt" IS NOT NULL AS started, i.job_id,
    r."lockedChatId" IS NOT NULL AND r."cancelRequestedAt" IS NULL
      AND (r.status = 'queued' OR (r.status = 'running' AND (r."workerId" IS NULL OR r."leaseExpiresAt" < now()))) AS claimable
  FROM input i JOIN "Run" r ON r.id = i.run_id WHERE r.id = ANY (ARRAY(SELECT run_id FROM input)) ORDER BY r.id FOR UPDATE OF r
), claimed AS (
  UPDATE "Run" r SET status = 'running', attempt = r.attempt + 1, "workerId" = $2, "jobId" = prev.job_id,
    "startedAt" = COALESCE(r."startedAt", now()), "heartbeatAt" = now(), "leaseExpiresAt" = now() + $4 * interval '1 millisecond'
  FROM prev
  WHERE r.id = ANY (ARRAY(SELECT id FROM prev)) AND r.id = prev.id AND prev.claimable
  RETURNING r.*, prev.started AS "previouslyStarted"
), live AS (
  SELECT * FROM claimed WHERE attempt <= "maxAttempts"
), key AS (
  UPDATE "ApiKey" k SET hash = i.hash, prefix = i.prefix, "expiresAt" = now() + $7 * interval '1 millisecond'
  FROM live l JOIN input i ON i.run_id = l.id
  WHERE k."runId" = l.id AND k.kind = 'ephemeral' AND k."revokedAt" IS NULL
  RETURNING k."runId"
), session AS (
  UPDATE "Session" s SET "activeStreamId" = l.id, "updatedAt" = now() FROM live l WHERE s.id = l."sessionId" RETURNING s.*
), event AS (
  ${insertBatchSql({
    runId: 'l.id',
    seq: 'next.seq',
    lastSeq: 'next.seq',
    params: { events: 8, types: 9 },
    from: `live l, LATERAL (SELECT ${lastSeqSql('l.id')} + 1 AS seq) next`,
    where: 'NOT l."previouslyStarted"',
    returning: '"runId", seq',
  })}
), ${upsertMessagesCtes({ messages: `l.input->'messages'`, chatId: 'l."chatId"', runId: 'l.id', from: `live l JOIN session s ON s.id = l."sessionId" AND s."lifecycleState" <> 'archived'` })}
SELECT c.*, EXISTS (SELECT 1 FROM key WHERE key."runId" = c.id) AS "keyIssued", (SELECT seq FROM event WHERE event."runId" = c.id) AS "runningSeq",
  (SELECT jsonb_build_object('id', s.id, 'accountId', s."accountId", 'title', s.title, 'workspaceId', s."workspaceId", 'workspacePath', w.path,
     'repoOwner', s."repoOwner", 'repoName', s."repoName", 'branch', s.branch, 'cloneUrl', s."cloneUrl", 'sandboxType', s."sandboxType",
     'sandboxState', s."sandboxState", 'lifecycleState', s."lifecycleState", 'modelId', s."modelId", 'providerId', s."providerId",
     'globalSkillRefs', to_jsonb(s."globalSkillRefs"))
   FROM session s LEFT JOIN "Workspace" w ON w.id = s."workspaceId" WHERE s.id = c."sessionId") AS session
FROM claimed c`

const CLAIM_RUN = prepared(
  claimSql(`SELECT $1::text AS run_id, $3::text AS job_id, $5::text AS hash, $6::text AS prefix`),
)
const CLAIM_RUNS = prepared(
  claimSql(`SELECT * FROM unnest($1::text[], $3::text[], $5::text[], $6::text[]) AS i(run_id, job_id, hash, prefix)`),
)

/**
 * The `running` event the claim appends, only ever on a run's first attempt: attempt is 0 until
 * the first claim, which sets startedAt in the same UPDATE, and a run handed back keeps its
 * startedAt (its next claim is a resume, which appends its own event).
 */
export const FIRST_RUNNING_EVENT: RunEvent = { type: 'run_status', status: 'running', attempt: 1 }
const FIRST_RUNNING = encodeBatch([FIRST_RUNNING_EVENT])

/** Most runs one claim statement takes (a fetch returns at most the worker's free slots). */
const MAX_CLAIMS_PER_STATEMENT = 64

/**
 * A worker's claims: those made in the same event-loop turn (the runs of one fetch), or while the
 * previous claim statement is in flight, go in one statement. Resolves with the run's claimed row,
 * or null when its fence refused it (terminal, cancelled, held by a live worker).
 */
export function claimBatcher(
  pool: DbPool,
  s: ClaimSettings,
  onBatchError: (err: unknown, size: number) => void,
): TurnBatcher<ClaimRequest, ClaimedRow | null> {
  const shared = { leaseMs: s.leaseMs, ttl: s.ephemeralKeyTtlMs }
  return new TurnBatcher<ClaimRequest, ClaimedRow | null>({
    max: MAX_CLAIMS_PER_STATEMENT,
    onBatchError,
    async one(c) {
      const { rows } = await pool.query<ClaimedRow>({
        ...CLAIM_RUN,
        values: [
          c.runId,
          s.workerId,
          c.jobId,
          shared.leaseMs,
          c.key.hash,
          c.key.prefix,
          shared.ttl,
          FIRST_RUNNING.events,
          FIRST_RUNNING.types,
        ],
      })
      return rows[0] ?? null
    },
    async many(all) {
      // A run twice in one batch (two jobs of it fetched together) is claimed once; the other
      // claim is refused, as the second of two single claims would be by the first's lease.
      const seen = new Set<string>()
      const claims = all.filter((c) => !seen.has(c.runId) && seen.add(c.runId))
      const { rows } = await pool.query<ClaimedRow>({
        ...CLAIM_RUNS,
        values: [
          claims.map((c) => c.runId),
          s.workerId,
          claims.map((c) => c.jobId),
          shared.leaseMs,
          claims.map((c) => c.key.hash),
          claims.map((c) => c.key.prefix),
          shared.ttl,
          FIRST_RUNNING.events,
          FIRST_RUNNING.types,
        ],
      })
      const byId = new Map(rows.map((r) => [r.id, r]))
      return all.map((c) => (claims.includes(c) ? (byId.get(c.runId) ?? null) : null))
    },
  })
}

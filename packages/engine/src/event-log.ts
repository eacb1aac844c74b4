// The per-run event log: `seq` 1, 2, 3… with no gaps (unique (runId, seq) enforces it).
import type { RunEvent, StoredRunEvent } from '@runyard/contract'
import type pg from 'pg'
import { CHANNELS } from './notifier.ts'

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

/** Error raised when a worker's claim on a run lapsed: it must stop writing and executing. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError'
}

const INSERT_OWNED = `
WITH owner AS (
  SELECT id FROM "Run" WHERE id = $1 AND attempt = $2 AND status = 'running' FOR SHARE
), ins AS (
  INSERT INTO "RunEvent" ("runId", seq, type, data)
  SELECT $1, $3::int + e.n::int - 1, e.data->>'type', e.data FROM owner, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(data, n)
  RETURNING seq
)
SELECT count(*)::int AS n, pg_notify('${CHANNELS.events}', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`

/**
 * Buffers one execution's events and writes them in order, batching whatever accumulates while
 * the previous write is in flight (one statement per batch, one NOTIFY per batch). Writes are
 * fenced on the claim (run still `running` under this attempt), so a worker that lost its lease
 * cannot interleave with the one that took over.
 */
export class EventWriter {
  private buffer: { seq: number; event: RunEvent }[] = []
  private writing: Promise<void> | undefined
  private failure: Error | undefined
  private waiters: { seq: number; resolve: () => void; reject: (e: Error) => void }[] = []
  private written: number

  constructor(
    private readonly pool: Queryable,
    private readonly runId: string,
    private readonly attempt: number,
    private lastSeq: number,
    private readonly onLost: (err: Error) => void,
  ) {
    this.written = lastSeq
  }

  get seq(): number {
    return this.lastSeq
  }

  append(event: RunEvent): number {
    if (this.failure) throw this.failure
    const seq = ++this.lastSeq
    this.buffer.push({ seq, event })
    this.writing ??= this.drainSoon()
    return seq
  }

  /** Resolves when everything appended so far is committed. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.written >= this.lastSeq) return Promise.resolve()
    const target = this.lastSeq
    return new Promise((resolve, reject) => this.waiters.push({ seq: target, resolve, reject }))
  }

  private async drainSoon(): Promise<void> {
    // Let a synchronous burst of appends land in one batch.
    await new Promise((r) => setImmediate(r))
    try {
      while (this.buffer.length) {
        // One JSON array parameter: cheaper to send and to parse than a Postgres array of JSON texts.
        const batch = this.buffer.splice(0, 5000)
        const { rows } = await this.pool.query<{ n: number }>(INSERT_OWNED, [this.runId, this.attempt, batch[0]!.seq, JSON.stringify(batch.map((b) => b.event))])
        if (rows[0]?.n !== batch.length) throw new LostClaimError(`run ${this.runId} is no longer held by attempt ${this.attempt}`)
        this.written = batch[batch.length - 1]!.seq
        this.settleWaiters()
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err))
      for (const w of this.waiters.splice(0)) w.reject(this.failure)
      this.onLost(this.failure)
    } finally {
      this.writing = undefined
    }
  }

  private settleWaiters() {
    this.waiters = this.waiters.filter((w) => {
      if (w.seq > this.written) return true
      w.resolve()
      return false
    })
  }
}

interface EventRow {
  seq: number
  data: RunEvent
  createdAt: Date
}

export async function readRunEvents(pool: Queryable, runId: string, afterSeq: number, limit = 1000): Promise<StoredRunEvent[]> {
  const { rows } = await pool.query<EventRow>(
    'SELECT seq, data, "createdAt" FROM "RunEvent" WHERE "runId" = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [runId, afterSeq, limit],
  )
  return rows.map((r) => ({ runId, seq: r.seq, createdAt: r.createdAt.toISOString(), event: r.data }))
}

/** A stored event already serialised as StoredRunEvent JSON (for streams that only forward it). */
export interface RunEventFrame {
  seq: number
  type: string
  json: string
}

/** Like readRunEvents, without parsing and re-serialising each event's JSON. */
export async function readRunEventFrames(pool: Queryable, runId: string, afterSeq: number, limit = 1000): Promise<RunEventFrame[]> {
  const { rows } = await pool.query<{ seq: number; type: string; data: string; createdAt: Date }>(
    'SELECT seq, type, data::text AS data, "createdAt" FROM "RunEvent" WHERE "runId" = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [runId, afterSeq, limit],
  )
  const prefix = `{"runId":${JSON.stringify(runId)},"seq":`
  return rows.map((r) => ({ seq: r.seq, type: r.type, json: `${prefix}${r.seq},"createdAt":"${r.createdAt.toISOString()}","event":${r.data}}` }))
}

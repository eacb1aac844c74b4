// An execution's writes to its run's log: `seq` 1, 2, 3… with no gaps, stored as batch rows of
// consecutive events (the RunEventBatch table's keys, checks and trigger keep it a gap-free,
// duplicate-free chain).
import { storableJson, type RunEvent, type UIMessage } from '@runyard/contract'
import { upsertMessagesCtes } from '../messages.ts'
import { prepared } from '../prepared.ts'
import type { WrittenEvent } from '../observer.ts'
import type { EventRow, Queryable } from '../types.ts'
import { encodeBatch, MAX_BATCH_EVENTS } from './encoding.ts'
import { insertBatchSql } from './sql.ts'
import { TurnBatcher } from '../turn-batcher.ts'

/** Error raised when a worker's claim on a run lapsed: it must stop writing and executing. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError'
}

/**
 * Both writes: one batch row of the events $5 (types $6) with seqs $3 to $4, inserted only if
 * `owner` has its row (none when $4 < $3: a checkpoint alone).
 */
const INSERT_BATCH = `ins AS (
  ${insertBatchSql({ runId: '$1', seq: '$3::int', lastSeq: '$4::int', params: { events: 5, types: 6 }, from: 'owner', where: '$4::int >= $3::int', returning: '"lastSeq" - seq + 1 AS n, "lastSeq", "createdAt"' })}
)`

const INSERT_OWNED = prepared(`
WITH owner AS (
  SELECT id FROM "Run" WHERE id = $1 AND attempt = $2 AND status = 'running' FOR SHARE
), ${INSERT_BATCH}
SELECT COALESCE(sum(n), 0)::int AS n, min("createdAt") AS "createdAt" FROM ins`)

/**
 * A batch together with the run's checkpoint (the executor's resume point after a step) and the
 * step's transcript messages, so a step end costs one statement: the checkpoint UPDATE is the
 * fence (instead of FOR SHARE), and it is stored only if every event up to it and the messages
 * are — all commit or none does. For one run, or for several runs' step ends that came together
 * (CHECKPOINTS, the worker's batches: turn-batcher.ts), each fenced on its own: a run whose fence
 * fails gets `owned` 0 and nothing of it is written, the others are (`owned` pairs a run with the
 * attempt that holds it: two attempts of one run may share a batch, a stale one and its successor).
 * `input`: run_id, attempt, seq/last_seq (the batch's seqs; last_seq is also the run's lastSeq
 * afterwards; none inserted when last_seq < seq), events/types (encodeBatch's), checkpoint (JSON),
 * messages (a JSON array to upsert, or null) and chat_id (theirs).
 */
const checkpointSql = (input: string) => `
WITH input AS (
  ${input}
), owner AS (
  UPDATE "Run" r SET checkpoint = i.checkpoint::jsonb, "lastSeq" = i.last_seq FROM input i
  WHERE r.id = i.run_id AND r.attempt = i.attempt AND r.status = 'running' RETURNING r.id, r.attempt
), owned AS (
  SELECT i.* FROM input i JOIN owner o ON o.id = i.run_id AND o.attempt = i.attempt
), ins AS (
  ${insertBatchSql({ runId: 'i.run_id', seq: 'i.seq', lastSeq: 'i.last_seq', params: { arrays: { events: 'i.events', types: 'i.types' } }, from: 'owned i', where: 'i.last_seq >= i.seq', returning: '"runId", "lastSeq" - seq + 1 AS n, "createdAt"' })}
), ${upsertMessagesCtes({ messages: 'i.messages::jsonb', chatId: 'i.chat_id', runId: 'i.run_id', from: 'owned i' })}
SELECT i.ord, (w.ord IS NOT NULL)::int AS owned, COALESCE(ins.n, 0)::int AS n, ins."createdAt"
FROM input i LEFT JOIN owned w ON w.ord = i.ord LEFT JOIN ins ON ins."runId" = w.run_id
ORDER BY i.ord`

/** $1 run id, $2 attempt, $3/$4 first and last seq, $5/$6 events/types, $7 checkpoint, $8 messages, $9 their chat. */
const INSERT_OWNED_WITH_CHECKPOINT = prepared(
  checkpointSql(
    `SELECT $1::text AS run_id, $2::int AS attempt, $3::int AS seq, $4::int AS last_seq, $5::text AS events, $6::text AS types, $7::text AS checkpoint, $8::text AS messages, $9::text AS chat_id, 1::bigint AS ord`,
  ),
)
/** The same as arrays, one element per run. */
const CHECKPOINTS = prepared(
  checkpointSql(
    `SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    WITH ORDINALITY AS i(run_id, attempt, seq, last_seq, events, types, checkpoint, messages, chat_id, ord)`,
  ),
)

/** One run's step end: INSERT_OWNED_WITH_CHECKPOINT's parameters. */
export type CheckpointParams = [
  runId: string,
  attempt: number,
  seq: number,
  lastSeq: number,
  events: string,
  types: string,
  checkpoint: string,
  messages: string | null,
  chatId: string | null,
]

/** What a step end's statement says of one run. */
interface WriteResult {
  owned?: number
  n: number
  createdAt: Date | null
}

/** Most step ends one statement takes. */
const MAX_CHECKPOINTS_PER_STATEMENT = 64

/** The step ends of a worker's runs that come in the same event-loop turn (or while the previous one is in flight) go in one statement. */
export function checkpointBatcher(
  pool: Queryable,
  onBatchError: (err: unknown, size: number) => void,
): TurnBatcher<CheckpointParams, WriteResult | undefined> {
  return new TurnBatcher<CheckpointParams, WriteResult | undefined>({
    max: MAX_CHECKPOINTS_PER_STATEMENT,
    onBatchError,
    async one(params) {
      return (await pool.query<WriteResult>({ ...INSERT_OWNED_WITH_CHECKPOINT, values: params })).rows[0]
    },
    async many(all) {
      const column = (k: number) => all.map((c) => c[k])
      // One row per step end, in their order (two attempts of one run may meet here: each is fenced
      // on its own attempt, by position, not by run id).
      const { rows } = await pool.query<WriteResult>({
        ...CHECKPOINTS,
        values: Array.from({ length: 9 }, (_, k) => column(k)),
      })
      return all.map((_, i) => rows[i])
    },
  })
}

interface Waiter {
  resolve: () => void
  reject: (e: Error) => void
}

/** Transcript messages a checkpoint stores with it. */
export interface CheckpointTranscript {
  chatId: string
  messages: UIMessage[]
}

/**
 * Buffers one execution's events and writes them in order, batching whatever accumulates while
 * the previous write is in flight (one statement per batch). Writes are fenced on the claim (run
 * still `running` under this attempt), so a worker that lost its lease cannot interleave with the
 * one that took over. Each committed batch is offered to `onCommitted` with the run's last seq now
 * stored (to notify other processes, notifier.ts) and the rows (built on demand, for readers in
 * this process).
 */
export class EventWriter {
  private buffer: { seq: number; event: RunEvent }[] = []
  private writing: Promise<void> | undefined
  private failure: Error | undefined
  private waiters: (Waiter & { seq: number })[] = []
  /** The latest checkpoint not sent yet, and everyone waiting for it (or for an older one it supersedes). */
  private pendingCheckpoint: { state: string; transcript?: CheckpointTranscript; waiters: Waiter[] } | undefined
  private written: number

  constructor(
    private readonly pool: Queryable,
    private readonly runId: string,
    private readonly attempt: number,
    private lastSeq: number,
    private readonly onLost: (err: Error) => void,
    private readonly onCommitted: (lastSeq: number, rows: () => EventRow[]) => void = () => {},
    /** Each committed batch as appended (the batch array itself, no copy) and when it was stored. */
    private readonly onWritten: (events: readonly WrittenEvent[], at: Date) => void = () => {},
    /** Step ends shared with other runs' (checkpointBatcher); without it, a statement of their own. */
    private readonly checkpoints?: ReturnType<typeof checkpointBatcher>,
  ) {
    this.written = lastSeq
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

  /**
   * Stores the run's checkpoint (and `transcript`'s messages) once everything appended so far is
   * committed, in the same statement as the last batch. Resolves when it is committed.
   */
  checkpoint(state: unknown, transcript?: CheckpointTranscript): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const json = storableJson(state ?? null)
      // A newer checkpoint supersedes one not sent yet: it covers at least the same events. The
      // messages of both are stored (where both have a message id, the newer one's wins).
      const pending = this.pendingCheckpoint
      if (pending) {
        pending.state = json
        pending.waiters.push({ resolve, reject })
        if (transcript)
          pending.transcript = pending.transcript
            ? { chatId: transcript.chatId, messages: [...pending.transcript.messages, ...transcript.messages] }
            : transcript
      } else
        this.pendingCheckpoint = { state: json, ...(transcript ? { transcript } : {}), waiters: [{ resolve, reject }] }
      this.writing ??= this.drainSoon()
    })
  }

  private async drainSoon(): Promise<void> {
    // Let a synchronous burst of appends land in one batch.
    await new Promise((r) => setImmediate(r))
    let sending: Waiter[] = []
    try {
      while (this.buffer.length || this.pendingCheckpoint) {
        const batch = this.buffer.splice(0, MAX_BATCH_EVENTS)
        const first = batch[0]?.seq ?? this.written + 1
        const last = batch[batch.length - 1]?.seq ?? this.written
        const { texts, events, types } = encodeBatch(batch.map((b) => b.event))
        // The checkpoint rides with the batch that empties the buffer (it covers every event before it).
        const checkpoint = this.buffer.length ? undefined : this.pendingCheckpoint
        const values = [this.runId, this.attempt, first, last, events, types]
        if (checkpoint) {
          this.pendingCheckpoint = undefined
          sending = checkpoint.waiters
        }
        let row: WriteResult | undefined
        if (checkpoint) {
          const params: CheckpointParams = [
            this.runId,
            this.attempt,
            first,
            last,
            events,
            types,
            checkpoint.state,
            checkpoint.transcript ? storableJson(checkpoint.transcript.messages) : null,
            checkpoint.transcript?.chatId ?? null,
          ]
          row = this.checkpoints
            ? await this.checkpoints.add(params)
            : (await this.pool.query<WriteResult>({ ...INSERT_OWNED_WITH_CHECKPOINT, values: params })).rows[0]
        } else row = (await this.pool.query<WriteResult>({ ...INSERT_OWNED, values })).rows[0]
        // Without its owner row nothing is inserted; the checkpoint write also reports the fence itself
        // (a checkpoint may come with no events).
        const owned = row !== undefined && row.owned !== 0 && row.n === batch.length
        const createdAt = row?.createdAt
        if (!owned) throw new LostClaimError(`run ${this.runId} is no longer held by attempt ${this.attempt}`)
        this.written = last
        // One statement: every row got the same transaction timestamp.
        if (createdAt) {
          this.onCommitted(last, () =>
            batch.map((b, i) => ({ seq: b.seq, type: b.event.type, data: texts[i]!, createdAt })),
          )
          this.onWritten(batch, createdAt)
        }
        this.settleWaiters()
        for (const w of sending.splice(0)) w.resolve()
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err))
      for (const w of [...this.waiters.splice(0), ...sending, ...(this.pendingCheckpoint?.waiters ?? [])])
        w.reject(this.failure)
      this.pendingCheckpoint = undefined
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

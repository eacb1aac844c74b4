// How a run's events are stored: a batch of consecutive events is one RunEventBatch row holding
// one line of JSON text (`events`) and one type (`types`) per event. The JSON text is what
// streams forward as is, so it is built once, here, from the contract's RunEvent.
import { storableJson, type RunEvent } from '@runyard/contract'
import type { EventRow } from '../types.ts'

/**
 * The most events one batch row holds (the table's check says the same). A run that emits faster
 * than its batches commit writes batches this large: each commit waits for its WAL flush, and
 * 1000-event batches left a burst at ~60 % of the rate of 5000-event ones (measured).
 */
export const MAX_BATCH_EVENTS = 5000

/** A batch of events as a row stores them: one line of JSON text and one type per event. */
export interface EncodedBatch {
  texts: string[]
  events: string
  types: string
}

/**
 * JSON text has no newline of its own (JSON.stringify escapes them in strings), so lines delimit
 * events. Storable: a NUL or lone surrogate in a tool's output is stored (and streamed) replaced.
 */
export function encodeBatch(events: readonly RunEvent[]): EncodedBatch {
  const texts = events.map((e) => storableJson(e))
  return { texts, events: texts.join('\n'), types: events.map((e) => e.type).join('\n') }
}

/** A batch row as read back: seqs `seq` to `lastSeq`. */
export interface BatchRow {
  seq: number
  lastSeq: number
  types: string
  events: string
  createdAt: Date
}

/** encodeBatch undone: appends the batch's events after `afterSeq` to `into`. */
export function decodeBatch(runId: string, batch: BatchRow, afterSeq: number, into: EventRow[]): void {
  const types = batch.types.split('\n')
  const texts = batch.events.split('\n')
  // Checked here rather than by the table: counting them there cost more than the write itself.
  const n = batch.lastSeq - batch.seq + 1
  if (texts.length !== n || types.length !== n) {
    throw new Error(
      `run ${runId}: the event batch at seq ${batch.seq} holds ${texts.length} JSON lines and ${types.length} types for ${n} events`,
    )
  }
  for (let i = Math.max(0, afterSeq + 1 - batch.seq); i < texts.length; i++) {
    into.push({ seq: batch.seq + i, type: types[i]!, data: texts[i]!, createdAt: batch.createdAt })
  }
}

// A stored event as handed out: the contract's StoredRunEvent, either parsed or already
// serialised around the stored JSON text (streams forward that text as is).
import type { RunEvent, StoredRunEvent } from '@runyard/contract'
import type { EventRow } from '../types.ts'

export const toStoredRunEvent = (runId: string, r: EventRow): StoredRunEvent => ({
  runId,
  seq: r.seq,
  createdAt: r.createdAt.toISOString(),
  event: JSON.parse(r.data) as RunEvent,
})

/** A stored event already serialised as StoredRunEvent JSON (for streams that only forward it). */
export interface RunEventFrame {
  seq: number
  type: string
  json: string
}

/** StoredRunEvent JSON built around the stored text, without parsing and re-serialising it. */
export function toRunEventFrames(runId: string, rows: EventRow[]): RunEventFrame[] {
  const prefix = `{"runId":${JSON.stringify(runId)},"seq":`
  // Rows written by one statement share a timestamp: format it once per run of equal ones.
  let time = NaN
  let iso = ''
  return rows.map((r) => {
    if (r.createdAt.getTime() !== time) {
      time = r.createdAt.getTime()
      iso = r.createdAt.toISOString()
    }
    return { seq: r.seq, type: r.type, json: `${prefix}${r.seq},"createdAt":"${iso}","event":${r.data}}` }
  })
}

// Groups a run's event log into timeline entries: consecutive text (or reasoning) deltas become
// one entry, everything else is one entry per event.
import type { StoredRunEvent } from '@runyard/contract'

export type TimelineEntry =
  | { kind: 'text' | 'reasoning'; fromSeq: number; toSeq: number; at: number; text: string; nested: boolean }
  | { kind: 'event'; seq: number; at: number; event: StoredRunEvent['event']; nested: boolean }

export function buildTimeline(events: StoredRunEvent[]): TimelineEntry[] {
  const out: TimelineEntry[] = []
  for (const s of events) {
    const e = s.event
    const at = Date.parse(s.createdAt)
    const nested = 'parentToolCallId' in e && Boolean(e.parentToolCallId)
    const textKind =
      e.type === 'text_delta'
        ? 'text'
        : e.type === 'reasoning_delta'
          ? 'reasoning'
          : e.type === 'reasoning_start'
            ? 'reasoning'
            : null
    if (textKind) {
      const chunk = e.type === 'text_delta' ? e.delta : e.type === 'reasoning_delta' ? e.text : ''
      const last = out.at(-1)
      if (last && last.kind === textKind && last.nested === nested && e.type !== 'reasoning_start') {
        last.text += chunk
        last.toSeq = s.seq
      } else out.push({ kind: textKind, fromSeq: s.seq, toSeq: s.seq, at, text: chunk, nested })
      continue
    }
    out.push({ kind: 'event', seq: s.seq, at, event: e, nested })
  }
  return out
}

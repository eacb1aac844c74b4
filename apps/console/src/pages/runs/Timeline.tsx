// The run's event log as a readable timeline, with times relative to the first event.
import type { StoredRunEvent } from '@runyard/contract'
import { useMemo } from 'react'
import { formatDuration, pretty } from '../../lib/format.ts'
import { ExpandableCode } from '../chat/ExpandableCode.tsx'
import { buildTimeline, type TimelineEntry } from './timeline.ts'

function seqLabel(e: TimelineEntry): string {
  if (e.kind === 'event') return `#${e.seq}`
  return e.fromSeq === e.toSeq ? `#${e.fromSeq}` : `#${e.fromSeq}–${e.toSeq}`
}

function Entry({ entry }: { entry: TimelineEntry }) {
  if (entry.kind !== 'event')
    return (
      <>
        <div className="tl-title">{entry.kind === 'text' ? 'Text' : 'Reasoning'}</div>
        <div className={entry.kind === 'text' ? 'tl-text' : 'tl-text tl-reasoning'}>
          {entry.text || <span className="muted">(empty)</span>}
        </div>
      </>
    )
  const e = entry.event
  switch (e.type) {
    case 'run_status':
      return (
        <div className="tl-title">
          Status → <strong>{e.status}</strong>
          {e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}
        </div>
      )
    case 'tool_call':
      return (
        <>
          <div className="tl-title">
            Tool call <span className="mono">{e.tool}</span>
          </div>
          <ExpandableCode label="Input" text={pretty(e.input)} />
        </>
      )
    case 'tool_result':
      return (
        <>
          <div className="tl-title">
            Tool result <span className="mono">{e.tool}</span>{' '}
            {e.isError && <span className="badge badge-danger">error</span>}
          </div>
          <ExpandableCode
            label={e.isError ? 'Error' : 'Output'}
            text={e.output || '(no output)'}
            tone={e.isError ? 'error' : undefined}
          />
        </>
      )
    case 'step_finish':
      return (
        <div className="tl-title">
          Step finished · {e.usage.input_tokens} in / {e.usage.output_tokens} out
        </div>
      )
    case 'step_retry':
      return <div className="tl-title">Step redone after a lost worker (attempt {e.attempt})</div>
    case 'error':
      return (
        <div className="tl-title tl-error">
          Error <span className="mono">{e.code}</span>: {e.message}
        </div>
      )
    case 'done':
      return <div className="tl-title">End of stream</div>
    default:
      return <div className="tl-title">{e.type}</div>
  }
}

const TONE: Partial<Record<string, string>> = {
  error: 'danger',
  tool_call: 'tool',
  tool_result: 'tool',
  run_status: 'status',
  step_finish: 'muted',
  done: 'muted',
}

export function Timeline({ events }: { events: StoredRunEvent[] }) {
  // `events` is appended in place by the fold: its length is what changes.
  const entries = useMemo(() => buildTimeline(events), [events, events.length])
  const t0 = entries[0]?.at ?? 0
  return (
    <ol className="timeline" aria-label="Run events">
      {entries.map((entry) => {
        const tone = entry.kind === 'event' ? (TONE[entry.event.type] ?? 'plain') : entry.kind
        return (
          <li key={seqLabel(entry)} className={`tl-item tl-${tone} ${entry.nested ? 'tl-nested' : ''}`}>
            <div className="tl-when">
              <span className="tl-offset">+{formatDuration(entry.at - t0)}</span>
              <span className="tl-seq mono">{seqLabel(entry)}</span>
            </div>
            <div className="tl-dot" aria-hidden="true" />
            <div className="tl-body">
              {entry.nested && <div className="tl-nested-label">sub-agent</div>}
              <Entry entry={entry} />
            </div>
          </li>
        )
      })}
    </ol>
  )
}

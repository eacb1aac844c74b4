// Folds a run's event log (tRPC `runs.events`) into what the console shows: the assistant turn
// as display parts, the run status, usage and error. Events are applied once each, by seq, so a
// replay after a reconnect or a reload cannot duplicate text.
import type { RunStatus, StoredRunEvent, RunEvent } from '@runyard/contract'
import type { DisplayPart, ToolPart } from './parts.ts'

export interface LiveRun {
  runId: string
  /** Highest seq applied (events are 1, 2, 3… without gaps). */
  lastSeq: number
  status: RunStatus | null
  parts: DisplayPart[]
  /** Parts as of the last finished top-level step: a `step_retry` goes back to them. */
  stepStart: DisplayPart[]
  usage: { input: number; output: number }
  error: { code: string; message: string } | null
  done: boolean
  /** Every event, for the run timeline. */
  events: StoredRunEvent[]
}

export function emptyLiveRun(runId: string): LiveRun {
  return {
    runId,
    lastSeq: 0,
    status: null,
    parts: [],
    stepStart: [],
    usage: { input: 0, output: 0 },
    error: null,
    done: false,
    events: [],
  }
}

const settle = (parts: DisplayPart[]): DisplayPart[] =>
  parts.map((p) => (p.kind !== 'tool' && p.streaming ? { ...p, streaming: false } : p))

function appendText(parts: DisplayPart[], kind: 'text' | 'reasoning', text: string, opensNew: boolean): DisplayPart[] {
  const last = parts.at(-1)
  if (!opensNew && last && last.kind === kind && last.streaming)
    return [...parts.slice(0, -1), { ...last, text: last.text + text }]
  return [...settle(parts), { kind, text, streaming: true }]
}

/** Applies one content event to a list of parts (the turn's, or a sub-agent's inside a tool). */
function applyContent(parts: DisplayPart[], e: RunEvent, at: number): DisplayPart[] {
  switch (e.type) {
    case 'text_delta':
      return appendText(parts, 'text', e.delta, false)
    case 'reasoning_start':
      return appendText(parts, 'reasoning', '', true)
    case 'reasoning_delta':
      return appendText(parts, 'reasoning', e.text, false)
    case 'tool_call':
      return [
        ...settle(parts),
        { kind: 'tool', id: e.id, tool: e.tool, input: e.input, state: 'running', startedAt: at, children: [] },
      ]
    case 'tool_result':
      return mapTool(parts, e.id, (t) => ({
        ...t,
        output: e.output,
        state: e.isError ? 'error' : 'done',
        finishedAt: at,
        children: settle(t.children),
      }))
    case 'step_finish':
      return settle(parts)
    default:
      return parts
  }
}

function mapTool(parts: DisplayPart[], id: string, fn: (t: ToolPart) => ToolPart): DisplayPart[] {
  return parts.map((p) => (p.kind === 'tool' && p.id === id ? fn(p) : p))
}

export function applyEvent(run: LiveRun, stored: StoredRunEvent): LiveRun {
  if (stored.runId !== run.runId || stored.seq <= run.lastSeq) return run
  const e = stored.event
  const at = Date.parse(stored.createdAt)
  // Appended in place (copying would make long runs quadratic); the seq check keeps a reducer
  // that React calls twice from adding an event twice.
  if (run.events.at(-1)?.seq !== stored.seq) run.events.push(stored)
  const next: LiveRun = { ...run, lastSeq: stored.seq }

  if ('parentToolCallId' in e && e.parentToolCallId) {
    // Sub-agent (`task`) events render inside the card of the call that started them.
    const parent = e.parentToolCallId
    next.parts = mapTool(run.parts, parent, (t) => ({ ...t, children: applyContent(t.children, e, at) }))
    return next
  }
  switch (e.type) {
    case 'run_status':
      next.status = e.status
      return next
    case 'step_finish':
      next.parts = applyContent(run.parts, e, at)
      next.stepStart = next.parts
      next.usage = { input: run.usage.input + e.usage.input_tokens, output: run.usage.output + e.usage.output_tokens }
      return next
    case 'step_retry':
      // The worker running the step was lost; the step is redone from its start.
      next.parts = run.stepStart
      return next
    case 'error':
      next.error = { code: e.code, message: e.message }
      return next
    case 'done':
      next.done = true
      next.parts = settle(run.parts)
      return next
    default:
      next.parts = applyContent(run.parts, e, at)
      return next
  }
}

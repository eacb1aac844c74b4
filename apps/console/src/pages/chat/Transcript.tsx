// The conversation: stored messages, the message just sent, and the live turn.
import { assistantMessageIdForRun, type Run, type UIMessage } from '@runyard/contract'
import { useEffect, useLayoutEffect, useRef } from 'react'
import { ErrorNotice } from '../../components/Feedback.tsx'
import { RunStatusBadge } from '../../components/StatusBadge.tsx'
import { formatDuration } from '../../lib/format.ts'
import { useNow } from '../../lib/use-now.ts'
import { filesOfMessage, messageText, partsOfMessage, type DisplayPart } from '../../lib/parts.ts'
import { Attachments } from './Attachments.tsx'
import type { AskState } from './AskUserCard.tsx'
import { Parts } from './Parts.tsx'
import { TurnFooter } from './TurnFooter.tsx'
import type { ChatState, ToolTiming } from './use-chat.ts'

function withTimings(parts: DisplayPart[], timings: Map<string, ToolTiming>): DisplayPart[] {
  return parts.map((p) =>
    p.kind === 'tool' && p.startedAt === undefined && timings.has(p.id) ? { ...p, ...timings.get(p.id) } : p,
  )
}

/** The run behind a stored assistant message (the runtime names the message after its run). */
function runOfMessage(m: UIMessage, runs: Map<string, Run>): Run | undefined {
  for (const r of runs.values()) if (assistantMessageIdForRun(r.id) === m.id) return r
  return undefined
}

export function Transcript({ chat, onAnswer }: { chat: ChatState; onAnswer: (text: string) => void }) {
  const messages = chat.messages ?? []
  const endRef = useRef<HTMLDivElement>(null)
  const scrollerRef = useRef<HTMLElement | null>(null)
  const stickRef = useRef(true)

  // Follow new content while the reader is at the bottom; leave them alone if they scrolled up.
  useEffect(() => {
    const scroller = endRef.current?.closest('.chat-scroll') as HTMLElement | null
    scrollerRef.current = scroller
    if (!scroller) return
    const onScroll = () => {
      stickRef.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80
    }
    scroller.addEventListener('scroll', onScroll, { passive: true })
    return () => scroller.removeEventListener('scroll', onScroll)
  }, [])
  const liveSize = chat.live ? chat.live.lastSeq : 0
  useLayoutEffect(() => {
    const s = scrollerRef.current
    if (s && stickRef.current) s.scrollTop = s.scrollHeight
  }, [messages.length, liveSize, chat.pendingText])

  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant')
  const latestRun = [...chat.runsById.values()].sort((a, b) => (a.id < b.id ? 1 : -1))[0]
  const latestRunOrphaned =
    latestRun &&
    !chat.live &&
    (latestRun.status === 'cancelled' || latestRun.status === 'failed') &&
    !messages.some((m) => m.id === assistantMessageIdForRun(latestRun.id))

  return (
    <div className="transcript" aria-live="off">
      {messages.map((m, i) => {
        if (m.role === 'user')
          return (
            <div key={m.id} className="msg msg-user">
              <div className="bubble">
                {messageText(m)}
                <Attachments files={filesOfMessage(m)} />
              </div>
            </div>
          )
        if (m.role !== 'assistant') return null
        const next = messages.slice(i + 1).find((x) => x.role === 'user')
        const ask: AskState = {
          answer: next ? messageText(next) : undefined,
          answerable: i === lastAssistant && !chat.busy && !chat.pendingText,
          onAnswer,
        }
        const run = runOfMessage(m, chat.runsById)
        return (
          <div key={m.id} className="msg msg-assistant" data-message-id={m.id}>
            <Parts parts={withTimings(partsOfMessage(m), chat.timings)} ask={ask} />
            {run && run.error && (
              <div className="turn-error" role="alert">
                {run.error.message}
              </div>
            )}
            {run && <TurnFooter run={run} />}
          </div>
        )
      })}
      {chat.pendingText !== null && (
        <div className="msg msg-user msg-pending">
          <div className="bubble">{chat.pendingText}</div>
        </div>
      )}
      {chat.liveRunId && <LiveTurn chat={chat} />}
      {latestRunOrphaned && latestRun && (
        <div className="msg msg-assistant msg-notice">
          <RunStatusBadge status={latestRun.status} />{' '}
          {latestRun.error?.message ??
            (latestRun.status === 'cancelled'
              ? 'The run was stopped before the agent answered.'
              : 'The run failed before the agent answered.')}
        </div>
      )}
      <div ref={endRef} />
    </div>
  )
}

/** "Working · 12 s" under a turn in progress. */
function LiveStatus({ since }: { since: string | undefined }) {
  const now = useNow(1000)
  return (
    <div className="turn-footer live-status" role="status">
      <span className="pulse" aria-hidden="true" /> Working
      {since ? ` · ${formatDuration(now - Date.parse(since))}` : ''}
    </div>
  )
}

function LiveTurn({ chat }: { chat: ChatState }) {
  const live = chat.live
  const run = chat.liveRunId ? chat.runsById.get(chat.liveRunId) : undefined
  const status = live?.status ?? run?.status ?? 'queued'
  const noContent = !live || live.parts.length === 0
  return (
    <div className="msg msg-assistant msg-live" data-run-id={chat.liveRunId ?? undefined} aria-busy={!live?.done}>
      {live && <Parts parts={live.parts} live ask={{ answerable: false, onAnswer: () => {} }} />}
      {noContent && !live?.done && (
        <div className="working">
          <span className="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {status === 'queued' ? 'Queued — waiting for a worker…' : 'Working…'}
        </div>
      )}
      {live?.error && (
        <div className="turn-error" role="alert">
          {live.error.message}
        </div>
      )}
      {chat.liveError && (
        <ErrorNotice title="The live stream stopped" error={chat.liveError} onRetry={chat.retryLive} />
      )}
      {live && !live.done && !noContent && <LiveStatus since={live.events[0]?.createdAt} />}
      {live?.done && live.status && live.status !== 'completed' && (
        <div className="turn-footer">
          <RunStatusBadge status={live.status} />
        </div>
      )}
    </div>
  )
}

// The chat's data and live state. Finished turns come from `chats.messages`; the turn in
// progress comes from the active run's event log (`runs.events`, replayed from seq 0), and the
// stored partial answer of that run is hidden meanwhile, so after a reload nothing is shown
// twice or lost. When the run is done the transcript is refetched and takes over.
import { assistantMessageIdForRun, type Run, type StoredRunEvent, type UIMessage } from '@runyard/contract'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { appCode } from '../../lib/errors.ts'
import type { DisplayPart } from '../../lib/parts.ts'
import type { LiveRun } from '../../lib/run-fold.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useRunEvents } from '../../lib/use-run-events.ts'

export interface ToolTiming {
  startedAt?: number
  finishedAt?: number
}

export interface ChatState {
  /** Both the transcript and the active run are known (rendering earlier could show a turn twice). */
  ready: boolean
  messages: UIMessage[] | undefined
  messagesError: unknown
  refetchMessages(): void
  /** The run whose events are shown as the turn in progress (until the transcript has it). */
  live: LiveRun | null
  liveRunId: string | null
  liveError: string | null
  retryLive(): void
  /** A run is active on this chat: no new message can be sent. */
  busy: boolean
  /** The message just sent, until the transcript shows it. */
  pendingText: string | null
  send(text: string): Promise<boolean>
  sendError: unknown
  stop(): void
  stopping: boolean
  stopError: unknown
  runsById: Map<string, Run>
  /** Tool durations seen live on this page (stored transcripts carry no times). */
  timings: Map<string, ToolTiming>
}

function collectTimings(parts: DisplayPart[], into: Map<string, ToolTiming>) {
  for (const p of parts) {
    if (p.kind !== 'tool') continue
    if (p.startedAt !== undefined) into.set(p.id, { startedAt: p.startedAt, finishedAt: p.finishedAt })
    collectTimings(p.children, into)
  }
}

export function useChat(chatId: string): ChatState {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const messages = useQuery(trpc.chats.messages.queryOptions({ chatId }))
  const activeRun = useQuery(trpc.chats.activeRun.queryOptions({ chatId }))
  const runs = useQuery(trpc.runs.list.queryOptions({ chatId, limit: 500 }))

  const [liveRunId, setLiveRunId] = useState<string | null>(null)
  /** The live run whose transcript has been refetched after it ended. */
  const [settledRunId, setSettledRunId] = useState<string | null>(null)
  /** The message just sent and how many user messages the transcript had then. */
  const [pending, setPending] = useState<{ text: string; userCount: number } | null>(null)
  /** Runs whose input messages the transcript has been refetched for. */
  const inputsLoaded = useRef(new Set<string>())
  const timingsRef = useRef(new Map<string, ToolTiming>())

  // A run started elsewhere (another tab, the API, an async run on this chat) or before a reload.
  const activeId = activeRun.data?.id ?? null
  useEffect(() => {
    if (activeId && activeId !== liveRunId && activeId !== settledRunId) setLiveRunId(activeId)
  }, [activeId, liveRunId, settledRunId])

  const onEvent = useCallback(
    (e: StoredRunEvent) => {
      const type = e.event.type
      if (type !== 'done' && type !== 'run_status' && !inputsLoaded.current.has(e.runId)) {
        // The worker stores the run's input (the user's message) before the agent produces
        // anything: the first content event is the moment the transcript has it.
        inputsLoaded.current.add(e.runId)
        void queryClient.invalidateQueries(trpc.chats.messages.queryFilter({ chatId }))
        // ... and its sandbox is open, which made the session `active`
        void queryClient.invalidateQueries(trpc.sessions.get.pathFilter())
      }
      if (type !== 'done') return
      const runId = e.runId
      void (async () => {
        // Refetch the transcript first, then let it replace the live view: no gap, no double.
        await Promise.all([
          queryClient.invalidateQueries(trpc.chats.messages.queryFilter({ chatId })),
          queryClient.invalidateQueries(trpc.chats.activeRun.queryFilter({ chatId })),
          queryClient.invalidateQueries(trpc.runs.list.pathFilter()),
          queryClient.invalidateQueries(trpc.sessions.pathFilter()),
        ])
        setSettledRunId(runId)
      })()
    },
    [chatId, queryClient, trpc],
  )
  // The active run counts at once (not one render later, via the effect above), so a reload never
  // shows its stored partial answer even for a frame.
  const liveId = activeId && activeId !== liveRunId && activeId !== settledRunId ? activeId : liveRunId
  const events = useRunEvents(liveId, onEvent)
  const live = events.run
  if (live) collectTimings(live.parts, timingsRef.current)

  // The transcript caught up with the message just sent (stored when a worker starts the run).
  const userCount = (messages.data ?? []).filter((m) => m.role === 'user').length
  useEffect(() => {
    if (pending && userCount > pending.userCount) setPending(null)
  }, [userCount, pending])

  const sendMutation = useMutation(trpc.chats.send.mutationOptions())
  const send = useCallback(
    async (text: string) => {
      setPending({ text, userCount })
      try {
        const { runId } = await sendMutation.mutateAsync({ chatId, text })
        setLiveRunId(runId)
        void queryClient.invalidateQueries(trpc.sessions.pathFilter()) // the title may come from this message
        return true
      } catch (err) {
        setPending(null)
        // Busy: another tab or an API client started a run; show it instead.
        if (appCode(err) === 'chat_busy') void activeRun.refetch()
        return false
      }
    },
    [activeRun, chatId, queryClient, sendMutation, trpc, userCount],
  )

  const cancel = useMutation(trpc.runs.cancel.mutationOptions())
  const showLive = liveId !== null && settledRunId !== liveId
  const liveShown = showLive ? live : null
  const busy = showLive && !live?.done

  const visibleMessages = useMemo(() => {
    // Contract UIMessages; the inferred wire type only makes `unknown` fields optional.
    const all = messages.data as UIMessage[] | undefined
    if (!all || !showLive || !liveId) return all
    const hidden = assistantMessageIdForRun(liveId)
    return all.filter((m) => m.id !== hidden)
  }, [messages.data, showLive, liveId])

  const runsById = useMemo(() => new Map((runs.data ?? []).map((r) => [r.id, r])), [runs.data])

  return {
    ready: messages.isSuccess && !activeRun.isPending,
    messages: visibleMessages,
    messagesError: messages.error,
    refetchMessages: () => void messages.refetch(),
    live: liveShown,
    liveRunId: showLive ? liveId : null,
    liveError: showLive ? events.error : null,
    retryLive: events.retry,
    busy,
    // Derived, not only cleared by the effect: the frame the transcript has it must not show it twice.
    pendingText: pending && userCount <= pending.userCount ? pending.text : null,
    send,
    sendError: sendMutation.error,
    stop: () => {
      if (liveId) cancel.mutate({ runId: liveId })
    },
    stopping: cancel.isPending || (cancel.isSuccess && busy),
    stopError: cancel.error,
    runsById,
    timings: timingsRef.current,
  }
}

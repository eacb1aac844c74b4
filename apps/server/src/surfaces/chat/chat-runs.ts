// The chat REST API (compatible with the hosted Recoup API): interactive turns (POST /api/chat),
// headless runs (POST /api/chat/runs), run status and lists, cancel, the chat's transcript and
// the resumable streams. All of them are adapters over the services.
import {
  ChatRef,
  isTerminalStatus,
  RunError,
  RunId,
  RunStatus,
  RunTraceId,
  SessionId,
  StartChatRunInput,
  StoredRunEvent,
  UIMessage,
  UIMessages,
  type Run,
} from '@runyard/contract'
import type { Request, Response } from 'express'
import { z } from 'zod'
import { operations, routeGroup } from '../../http/route.ts'
import { pageCursor, pageLimit } from '../../http/page-query.ts'
import { rest } from '../../http/error-shapes.ts'
import { lastEventId, pipeSse } from '../../http/sse.ts'
import { runEventLogPages } from '../../projections/run-events.ts'
import { projectEvents } from '../../projections/sse-projection.ts'
import { UI_MESSAGE_STREAM_HEADERS, UiMessageProjection } from '../../projections/ui-message.ts'
import type { Caller, Services } from '@runyard/services'
import { UiMessageStreamChunk } from './ui-message-schemas.ts'

const timestamp = z.string().meta({ format: 'date-time' })

export const ChatRunAccepted = z.object({ runId: z.string(), chatId: z.string(), sessionId: z.string() }).meta({
  id: 'ChatRunAccepted',
  example: {
    runId: 'run_01JABCDEFGHJKMNPQRSTVWXYZ0',
    chatId: 'chat_01JABCDEFGHJKMNPQRSTVWXYZ0',
    sessionId: 'sess_01JABCDEFGHJKMNPQRSTVWXYZ0',
  },
})

export const ChatRunStatus = z
  .object({
    runId: z.string(),
    chatId: z.string(),
    sessionId: z.string(),
    status: RunStatus,
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    error: RunError.nullable(),
    traceId: RunTraceId,
  })
  .meta({ id: 'ChatRunStatus' })

export const ChatRunList = z
  .object({
    runs: z.array(ChatRunStatus),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last one.' }),
  })
  .meta({ id: 'ChatRunList' })

const toStatus = (r: Run): z.infer<typeof ChatRunStatus> => ({
  runId: r.id,
  chatId: r.chatId,
  sessionId: r.sessionId,
  status: r.status,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  error: r.error,
  traceId: r.traceId,
})

/** What `useChat`'s DefaultChatTransport sends (`id` is the chat id). */
export const ChatTurnRequest = z
  .object({
    id: ChatRef.optional().meta({
      description:
        "The chat: its id, or the client's own id for it (what `useChat`'s DefaultChatTransport sends; a new chat is created for an id not seen before).",
    }),
    chatId: ChatRef.optional(),
    sessionId: z.string().optional(),
    messages: UIMessages,
    trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
    messageId: z.string().optional(),
    model: z.string().min(1).max(200).optional(),
  })
  .meta({ id: 'ChatTurnRequest' })

const UI_STREAM = {
  frame: UiMessageStreamChunk,
  description:
    'AI SDK UI-message stream (`x-vercel-ai-ui-message-stream: v1`): one `data: <UIMessageChunk JSON>` frame per chunk, `id:` = the run event seq on every frame, ending with `data: [DONE]`.',
}
/** The chat endpoints, and when to use which; every one's docs link to all the others. */
const CHAT_ENDPOINTS: [operationId: string, label: string, when: string][] = [
  ['chatTurn', 'POST /api/chat', 'an **interactive** turn streamed to a chat UI (`useChat`)'],
  ['startChatRun', 'POST /api/chat/runs', 'a **headless** run: `202` at once, read it later'],
  ['getChatRun', 'GET /api/chat/runs/{runId}', '**whether** a run finished (its status, not its content)'],
  [
    'resumeChatStream',
    'GET /api/chat/{chatId}/stream',
    "**watch** a chat's active run live, or resume it after a reload (`204` when none is active)",
  ],
  [
    'getChatMessages',
    'GET /api/chat/{chatId}/messages',
    "**read** a chat's transcript — how a finished run's answer is read",
  ],
  ['listChatRuns', 'GET /api/chat/runs', "**list** the account's runs (filters, cursor pages)"],
  ['getChatRunEvents', 'GET /api/chat/runs/{runId}/events', "a run's full event log, resumable"],
]

const route = routeGroup({ tags: ['Chat'], surface: rest, auth: true })

export function relatedChatEndpoints(self: string): string {
  const lines = CHAT_ENDPOINTS.filter(([id]) => id !== self).map(
    ([id, label, when]) => `- [${label}](#/Chat/${id}) — ${when}.`,
  )
  return `**Related endpoints**\n${lines.join('\n')}\n- [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.`
}

const chatRefParam = z.object({ chatId: ChatRef })

export const ChatTranscript = z.array(UIMessage).meta({ id: 'ChatTranscript' })

const runIdParam = z.object({
  runId: z.string().meta({ description: 'Run id (`run_…`) returned by POST /api/chat/runs' }),
})

/** `Last-Event-ID` header, else `?after=`, else 0. Our ids are event seqs. */
const resumePoint = (req: Request, queryAfter?: number): number => lastEventId(req, 'an event seq') ?? queryAfter ?? 0
const onChat = route.on({ params: chatRefParam, errors: [404, 503] })
const onRun = route.on({ params: runIdParam, errors: [404, 503] })

export function chatRoutes(s: Services) {
  /** The run as a UI-message stream; the stateful projection always replays it from seq 1. */
  const streamUiMessages = (
    caller: Caller,
    runId: string,
    after: number,
    req: Request,
    res: Response,
    headers: Record<string, string>,
  ) =>
    pipeSse(
      req,
      res,
      (signal) => projectEvents(s.runs.events(caller, runId, 0, signal), new UiMessageProjection(runId, after)),
      {
        headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers },
      },
    )

  return operations({
    chatTurn: route.post('/api/chat', {
      summary: 'Interactive turn (streamed)',
      description:
        'Runs one agent turn on the durable engine and streams it as an AI SDK UI-message stream, so `useChat` with `DefaultChatTransport` works unchanged — including the chat id `useChat` generates itself: the first message with an id not seen before creates a session and a chat under that id. The run continues if the client disconnects; reconnect with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream). The run id is in the `x-workflow-run-id` header.\n\n' +
        '409 when the chat already has an active run, or when its session is archived (no new turns on an archived session).\n\n' +
        relatedChatEndpoints('chatTurn'),
      body: ChatTurnRequest,
      responses: {
        200: {
          description: 'The turn, streamed',
          sse: UI_STREAM,
          headers: {
            'x-workflow-run-id': {
              description: 'The run executing this turn (read its status with GET /api/chat/runs/{runId})',
            },
            'x-runyard-run-id': { description: 'The same run id' },
            'x-runyard-chat-id': {
              description: 'The chat (`chat_…`; created when the request named none or a new client id)',
            },
            'x-runyard-session-id': { description: "The chat's session" },
          },
        },
      },
      errors: [400, 403, 404, 409, 429, 503],
      handler: async ({ auth, body, req, res }) => {
        const chatId = body.chatId ?? body.id
        const started = await s.runs.startChatRun(
          auth,
          { messages: body.messages, chatId, sessionId: body.sessionId, model: body.model },
          'interactive',
        )
        await streamUiMessages(auth, started.run.id, 0, req, res, {
          'x-workflow-run-id': started.run.id,
          'x-runyard-run-id': started.run.id,
          'x-runyard-chat-id': started.chatId,
          'x-runyard-session-id': started.sessionId,
        })
        return undefined
      },
    }),
    startChatRun: route.post('/api/chat/runs', {
      summary: 'Start a headless run (202)',
      description:
        'Starts an asynchronous agent run and answers **202** at once, before any sandbox or model work; the run continues on the engine. Poll [GET /api/chat/runs/{runId}](#/Chat/getChatRun) (the `Location`), watch it with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) using the returned `chatId`, and read the answer with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) once it finished.\n\n' +
        'Unknown body fields are ignored (as the hosted API does), so callers sending `artistId`, `organizationId`, `topic` or `roomId` keep working.\n\n' +
        '409 when the chat already has an active run (unless `ifBusy: "enqueue"`), or when the session is archived (no new runs on an archived session).\n\n' +
        relatedChatEndpoints('startChatRun'),
      body: StartChatRunInput,
      bodyExamples: {
        prompt: { value: { prompt: 'Summarise the README' } },
        continue: { value: { prompt: 'And now the tests', chatId: 'chat_01JABCDEFGHJKMNPQRSTVWXYZ0' } },
      },
      responses: {
        202: {
          description: 'Run accepted',
          schema: ChatRunAccepted,
          headers: { Location: { description: 'The run status resource: /api/chat/runs/{runId}' } },
        },
      },
      errors: [400, 403, 404, 409, 429, 503],
      handler: async ({ auth, body }) => {
        const caller = await s.auth.actingAccount(auth, body.accountId)
        const { run, chatId, sessionId } = await s.runs.startChatRun(caller, body, 'async')
        return {
          status: 202,
          body: { runId: run.id, chatId, sessionId },
          headers: { Location: `/api/chat/runs/${run.id}` },
        }
      },
    }),
    listChatRuns: route.get('/api/chat/runs', {
      summary: 'List runs',
      description:
        "The caller's runs on every surface, newest first, a page at a time (pass a page's `nextCursor` as `cursor`; `null` on the last page), optionally only one status, chat or session, or those created in a time range.\n\n" +
        relatedChatEndpoints('listChatRuns'),
      query: z.object({
        status: RunStatus.optional(),
        chatId: ChatRef.optional().meta({ description: 'Only runs of this chat (its id or client id).' }),
        sessionId: SessionId.optional(),
        createdAfter: z.iso
          .datetime({ offset: true })
          .optional()
          .meta({ description: 'Only runs created at or after this time (ISO 8601).' }),
        createdBefore: z.iso
          .datetime({ offset: true })
          .optional()
          .meta({ description: 'Only runs created before this time (ISO 8601).' }),
        limit: pageLimit(500, 'Runs per page (default 50).'),
        cursor: pageCursor(RunId),
      }),
      responses: { 200: { description: 'A page of runs', schema: ChatRunList } },
      errors: [400, 404, 503],
      handler: async ({ auth, query }) => {
        const chatId = query.chatId ? (await s.chats.get(auth, query.chatId)).id : undefined
        const page = await s.runs.list(auth, {
          status: query.status,
          chatId,
          sessionId: query.sessionId,
          createdAfter: query.createdAfter ? new Date(query.createdAfter) : undefined,
          createdBefore: query.createdBefore ? new Date(query.createdBefore) : undefined,
          limit: query.limit,
          cursor: query.cursor,
        })
        return { status: 200, body: { runs: page.runs.map(toStatus), nextCursor: page.nextCursor } }
      },
    }),
    getChatRun: onRun.get('/api/chat/runs/{runId}', {
      summary: 'Run status',
      description:
        'A point-in-time status of a run started with [POST /api/chat/runs](#/Chat/startChatRun) — not its content: read that with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) once it finished, or live with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream). 404 only when no such run exists for this account.\n\n' +
        relatedChatEndpoints('getChatRun'),
      responses: { 200: { description: 'Run status', schema: ChatRunStatus } },
      handler: async ({ auth, params }) => ({ status: 200, body: toStatus(await s.runs.get(auth, params.runId)) }),
    }),
    cancelChatRun: onRun.post('/api/chat/runs/{runId}/cancel', {
      summary: 'Cancel a run',
      description:
        'Idempotent. A queued run never starts; a running run is stopped (model call and sandbox process aborted, partial output kept) and answers `cancelled`; a finished run is left as it is and its final state returned. See [GET /api/chat/runs/{runId}](#/Chat/getChatRun).',
      responses: { 200: { description: 'The run after the cancel request', schema: ChatRunStatus } },
      handler: async ({ auth, params }) => ({
        status: 200,
        body: toStatus(await s.runs.cancel(auth, params.runId, { waitMs: 2_000 })),
      }),
    }),
    getChatRunEvents: onRun.get('/api/chat/runs/{runId}/events', {
      summary: 'Run event log (SSE, resumable)',
      description:
        "Any run's normalized event log as server-sent events: replayed from the database, then tailed live until the run ends. `id:` is the event seq (1, 2, 3… without gaps); resume with `Last-Event-ID` or `?after=<seq>`. Works for finished runs too.\n\n" +
        relatedChatEndpoints('getChatRunEvents'),
      query: z.object({
        after: z.coerce
          .number()
          .int()
          .min(0)
          .optional()
          .meta({ description: 'Replay events after this seq (Last-Event-ID takes precedence).' }),
      }),
      responses: {
        200: {
          description: 'The event log',
          sse: {
            frame: StoredRunEvent,
            description:
              'One `id: <seq>` + `data: <StoredRunEvent JSON>` frame per event; the stream ends after the `done` event.',
          },
        },
      },
      errors: [400],
      handler: async ({ auth, params, query, req, res }) => {
        // The log's own read checks that the run is the caller's (no `s.runs.get` first).
        const after = resumePoint(req, query.after)
        await pipeSse(req, res, (signal) =>
          runEventLogPages((afterSeq) => s.runs.eventFrames(auth, params.runId, afterSeq, signal), after),
        )
        return undefined
      },
    }),
    resumeChatStream: onChat.get('/api/chat/{chatId}/stream', {
      summary: "Resume the chat's active run (UI-message stream)",
      description:
        "Streams the chat's **active** run as an AI SDK UI-message stream — what `useChat({ resume: true })` calls on page load. **204** when no run is active, so a finished answer is never appended twice: read it with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages). Without `Last-Event-ID` it replays the run from its first event (what the AI SDK client expects); with it, from just after that id (400 when it is not an event seq). `chatId` may be the id `useChat` gave the chat; such an id not used yet answers 204 too (nothing to resume), an unknown `chat_…` id 404.\n\n" +
        relatedChatEndpoints('resumeChatStream'),
      responses: {
        200: {
          description: 'The active run, streamed',
          sse: UI_STREAM,
          headers: { 'x-runyard-run-id': { description: 'The run being streamed' } },
        },
        204: { description: 'No run is active on this chat' },
      },
      errors: [400],
      handler: async ({ auth, params, req, res }) => {
        const after = resumePoint(req)
        const chat = await s.chats.find(auth, params.chatId)
        const active = chat && (await s.runs.activeForChat(auth, chat.id))
        if (!active || isTerminalStatus(active.status)) return { status: 204 }
        await streamUiMessages(auth, active.id, after, req, res, { 'x-runyard-run-id': active.id })
        return undefined
      },
    }),
    getChatMessages: onChat.get('/api/chat/{chatId}/messages', {
      summary: "The chat's transcript (UIMessages)",
      description:
        "The chat's persisted messages as AI SDK `UIMessage`s, oldest first: the user's turns and the agent's answers with their reasoning and tool calls. This is how a finished run's answer is read once [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) answers 204, and what a `useChat` page loads as its initial `messages`. A run still going shows what it has produced so far. `chatId` may be the id `useChat` gave the chat; for such an id not used yet the transcript is empty (`[]`), for an unknown `chat_…` id 404.\n\n" +
        relatedChatEndpoints('getChatMessages'),
      responses: {
        200: {
          description: 'The transcript: a JSON array of UIMessages (empty for a chat not started yet)',
          schema: ChatTranscript,
        },
      },
      handler: async ({ auth, params }) => ({ status: 200, body: await s.chats.messages(auth, params.chatId) }),
    }),
  })
}

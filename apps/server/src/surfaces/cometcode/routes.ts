// CometCode Local Serve API (`/api/v1`, seed 004): sessions over workspaces, transcripts, one
// streamed turn at a time, abort. Adapters over the session/chat/run services and the engine.
import { operations, routeGroup } from '../../http/route.ts'
import { CometCodeError, cometcode } from '../../http/error-shapes.ts'
import { pipeSse } from '../../http/sse.ts'
import { cometCodeFailure, cometCodeProjection } from '../../projections/cometcode.ts'
import { projectEvents } from '../../projections/sse-projection.ts'
import { userTextMessage } from '@runyard/services'
import type { Services } from '@runyard/services'
import { toCometSession, toTranscript } from './mappers.ts'
import {
  CometCreateSessionRequest,
  CometDeletedSession,
  CometListSessionsQuery,
  CometPostMessageRequest,
  CometSession,
  CometSessionList,
  CometSessionParams,
  CometStatusResponse,
  CometStreamEvent,
  CometTranscript,
} from './schemas.ts'

const tags = ['CometCode']

const SSE_DESCRIPTION = `\`text/event-stream\` of \`data:\` frames, one JSON object each (schema: \`CometCodeStreamEvent\`), in this vocabulary:
\`{"type":"text_delta","delta"}\`, \`{"type":"reasoning_start"}\`, \`{"type":"reasoning_delta","text"}\`,
\`{"type":"tool_call","id","tool","input"}\` (input is opaque JSON), \`{"type":"tool_result","id","tool","output"}\` (output is text),
\`{"type":"step_finish","usage":{"input_tokens","output_tokens","cache_read","cache_write"}}\`, \`{"type":"error","message","code"}\`
and a final \`{"type":"done"}\`. A failed run sends \`error\` (code \`llm\`, \`tool\`, \`sandbox\`, \`timeout\`, \`worker_lost\`, \`internal\`) before \`done\`;
an aborted one \`{"type":"error","code":"cancelled"}\` then \`done\`. Sub-agent activity is summarised by its \`task\` tool frames
(only its \`step_finish\` usage is forwarded). If the worker executing the run is lost mid-step, another one redoes that step,
so its partial output may be streamed twice; the transcript keeps it once. Example:

    data: {"type":"tool_call","id":"tc_01","tool":"read_file","input":{"path":"main.go"}}

    data: {"type":"tool_result","id":"tc_01","tool":"read_file","output":"package main"}

    data: {"type":"text_delta","delta":"The entrypoint is main.go."}

    data: {"type":"step_finish","usage":{"input_tokens":1200,"output_tokens":340,"cache_read":0,"cache_write":0}}

    data: {"type":"done"}`

const sessionRunning = {
  description:
    'The session already has an in-flight run (of any kind: this API, `POST /api/chat`, `POST /api/chat/runs`, `/v1/responses`): code `session_running`. ' +
    'Also code `session_archived` when the session is archived (no new turns).',
  schema: CometCodeError,
  example: { error: { code: 'session_running', message: 'session sess_01JABCDEF already running' } },
}

const route = routeGroup({ tags, surface: cometcode, auth: true })
const onSession = route.on({ params: CometSessionParams, errors: [404] })

export function cometcodeRoutes(s: Services) {
  return operations({
    cometcodeCreateSession: route.post('/api/v1/sessions', {
      summary: 'Create a session',
      description:
        'Creates a session for exactly one workspace: `workspace_id` (registered) or `workspace_path` (absolute; registered on first use — only this endpoint registers workspaces). ' +
        '`model_id`/`provider_id` are checked against the configured models (unknown → 400 `model_not_found`).',
      body: CometCreateSessionRequest,
      bodyExamples: {
        byWorkspacePath: {
          summary: 'Create by workspace path',
          value: { workspace_path: '/Users/tomlord/workspace/personal-project/cometline' },
        },
        byWorkspaceId: {
          summary: 'Create by workspace id',
          value: { workspace_id: 'ws_01JABCDEF', model_id: 'claude-sonnet-4-5', provider_id: 'anthropic' },
        },
      },
      responses: { 201: { description: 'Session created', schema: CometSession } },
      errors: [400, 403, 404],
      handler: async ({ auth, body }) => {
        const { session } = await s.sessions.create(
          auth,
          {
            workspaceId: body.workspace_id,
            workspacePath: body.workspace_path,
            modelId: body.model_id,
            providerId: body.provider_id,
          },
          { workspacePath: 'workspace_path' },
        )
        return { status: 201, body: toCometSession(session) }
      },
    }),
    cometcodeListSessions: route.get('/api/v1/sessions', {
      summary: 'List sessions for one workspace',
      description:
        'Sessions of exactly one workspace (`workspace_id` or `workspace_path` query parameter), newest first. Unlike creation, an unknown `workspace_path` is not registered: 404 `workspace_not_found`.',
      query: CometListSessionsQuery,
      responses: { 200: { description: 'Sessions for the requested workspace', schema: CometSessionList } },
      errors: [400, 404],
      handler: async ({ auth, query }) => {
        const sessions = await s.sessions.listByWorkspace(auth, { id: query.workspace_id, path: query.workspace_path })
        return { status: 200, body: { sessions: sessions.map(toCometSession) } }
      },
    }),
    cometcodeGetSession: onSession.get('/api/v1/sessions/{id}', {
      summary: 'Get one session',
      description: '404 `session_not_found` for unknown sessions and for sessions of other accounts.',
      responses: { 200: { description: 'Session resource', schema: CometSession } },
      handler: async ({ auth, params }) => ({
        status: 200,
        body: toCometSession(await s.sessions.get(auth, params.id)),
      }),
    }),
    cometcodeDeleteSession: onSession.delete('/api/v1/sessions/{id}', {
      summary: 'Delete a session',
      description:
        "Beyond the seed. Stops the session's running turn, releases its sandbox and deletes the session with its transcript; its workspace folder and registration stay. 404 `session_not_found` for unknown sessions and sessions of other accounts; afterwards the session is not found.",
      responses: { 200: { description: 'Deleted', schema: CometDeletedSession } },
      handler: async ({ auth, params }) => {
        await s.sessions.delete(auth, params.id)
        return { status: 200, body: { id: params.id, deleted: true as const } }
      },
    }),
    cometcodeGetSessionMessages: onSession.get('/api/v1/sessions/{id}/messages', {
      summary: 'Get transcript-style session messages',
      description:
        "The session's conversation (its first chat) as transcript items (`user`, `reasoning`, `assistant`, `tool`) in order, built from the stored messages. " +
        'Tool items carry the input and the recorded output as text (`tool_error: true` with the error text when the tool failed).',
      responses: { 200: { description: 'Transcript items for the session', schema: CometTranscript } },
      handler: async ({ auth, params }) => {
        await s.sessions.get(auth, params.id)
        const chat = await s.chats.primaryChat(auth, params.id)
        const messages = await s.chats.messages(auth, chat.id)
        return { status: 200, body: { session_id: params.id, items: toTranscript(messages) } }
      },
    }),
    cometcodePostSessionMessage: onSession.post('/api/v1/sessions/{id}/message', {
      summary: 'Send one text message and stream events over SSE',
      description:
        'Starts a turn (a durable `interactive` run) and streams its events as `text/event-stream` until `done`. ' +
        'Disconnecting does not stop the run (use `POST /api/v1/sessions/{id}/abort`); its result is kept in `GET /api/v1/sessions/{id}/messages`. ' +
        'One turn at a time: 409 `session_running` while any run is active on the session; 409 `session_archived` when the session is archived. ' +
        'Use this for CometCode clients; for an AI SDK `useChat` stream use `POST /api/chat`, and for headless runs (202 at once, no stream held open) use `POST /api/chat/runs`.',
      body: CometPostMessageRequest,
      responses: {
        200: { description: 'SSE event stream', sse: { frame: CometStreamEvent, description: SSE_DESCRIPTION } },
        409: sessionRunning,
      },
      errors: [400, 429],
      handler: async ({ auth, params, body, req, res }) => {
        const run = await s.runs.startOnSession(auth, params.id, {
          kind: 'interactive',
          messages: [userTextMessage(body.text)],
        })
        // Streamed from the run's first event until `done`; a client that disconnects only stops
        // the stream, the run goes on.
        await pipeSse(
          req,
          res,
          (signal) => projectEvents(s.runs.events(auth, run.id, 0, signal), cometCodeProjection),
          { inBandError: cometCodeFailure },
        )
        return undefined
      },
    }),
    cometcodeAbortSession: onSession.post('/api/v1/sessions/{id}/abort', {
      summary: 'Abort an in-flight session run',
      description:
        'Requests cancellation of the session\'s active run (whatever started it) and answers at once; the run\'s stream then ends with `{"type":"error","code":"cancelled"}` and `done`, and the run is `cancelled`.',
      responses: {
        202: { description: 'Abort accepted', schema: CometStatusResponse, example: { status: 'aborting' } },
        409: {
          description: 'Session is not currently running',
          schema: CometCodeError,
          example: { error: { code: 'session_not_running', message: 'session is not currently running' } },
        },
      },
      handler: async ({ auth, params }) => {
        await s.runs.cancelSessionRun(auth, params.id)
        return { status: 202, body: { status: 'aborting' } }
      },
    }),
  })
}

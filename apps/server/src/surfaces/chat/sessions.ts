// Session endpoints of the chat REST API (camelCase, ISO timestamps, `{status:"error", error}` errors).
import { Chat, CreateSessionInput, Session, SessionId } from '@runyard/contract'
import { z } from 'zod'
import { operations, routeGroup } from '../../http/route.ts'
import { pageCursor, pageLimit } from '../../http/page-query.ts'
import { rest } from '../../http/error-shapes.ts'
import type { Services } from '@runyard/services'

export const CreateSessionResponse = z.object({ session: Session, chat: Chat }).meta({ id: 'CreateSessionResponse' })
export const GetSessionResponse = z.object({ session: Session }).meta({ id: 'GetSessionResponse' })
export const ListSessionsResponse = z
  .object({
    sessions: z.array(Session),
    nextCursor: SessionId.nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last one.' }),
  })
  .meta({ id: 'ListSessionsResponse' })
export const DeletedSessionResponse = z
  .object({ sessionId: SessionId, deleted: z.literal(true) })
  .meta({ id: 'DeletedSessionResponse' })

const sessionIdParam = z.object({ sessionId: z.string().meta({ description: 'Session id (`sess_…`)' }) })

const route = routeGroup({ tags: ['Sessions'], surface: rest, auth: true })
const onSession = route.on({ params: sessionIdParam, errors: [403, 404] })

export function sessionRoutes(s: Services) {
  return operations({
    createSession: route.post('/api/sessions', {
      summary: 'Create a session',
      description:
        'Creates an agent session (`lifecycleState: provisioning`) and its initial chat in one transaction. Answers **200** (as the hosted API does). Unknown body fields are ignored. A `workspacePath` or absolute `globalSkillRefs` entry must be a folder this server lets clients use (403 `workspace_not_allowed` says why otherwise).',
      body: CreateSessionInput,
      bodyExamples: {
        byWorkspacePath: { value: { title: 'Fix the flaky test', workspacePath: '/home/me/project' } },
        byRepo: { value: { repoOwner: 'acme', repoName: 'api', branch: 'main' } },
      },
      responses: { 200: { description: 'Session and its first chat', schema: CreateSessionResponse } },
      errors: [400, 403, 404],
      handler: async ({ auth, body }) => ({ status: 200, body: await s.sessions.create(auth, body) }),
    }),
    getSession: onSession.get('/api/sessions/{sessionId}', {
      summary: 'Get a session',
      responses: { 200: { description: 'The session', schema: GetSessionResponse } },
      handler: async ({ auth, params }) => ({
        status: 200,
        body: { session: await s.sessions.get(auth, params.sessionId, { foreign: 'forbidden' }) },
      }),
    }),
    listSessions: route.get('/api/sessions', {
      summary: 'List sessions',
      description:
        "The caller's sessions, newest first, a page at a time: pass the `nextCursor` of a page as `cursor` for the next one (`null` on the last page).",
      query: z.object({
        limit: pageLimit(1000, 'Sessions per page (default 200).'),
        cursor: pageCursor(SessionId),
      }),
      responses: { 200: { description: 'Sessions of the caller, newest first', schema: ListSessionsResponse } },
      errors: [400],
      handler: async ({ auth, query }) => ({
        status: 200,
        body: await s.sessions.listPage(auth, { limit: query.limit, cursor: query.cursor }),
      }),
    }),
    archiveSession: onSession.post('/api/sessions/{sessionId}/archive', {
      summary: 'Archive a session',
      description:
        "Cancels the session's queued and running runs, releases its sandbox and marks it `archived`: no run can start on it any more (409 `session_archived`), its transcript and runs stay readable. Idempotent.",
      responses: { 200: { description: 'The archived session', schema: GetSessionResponse } },
      handler: async ({ auth, params }) => {
        await s.sessions.get(auth, params.sessionId, { foreign: 'forbidden' })
        return { status: 200, body: { session: await s.sessions.archive(auth, params.sessionId) } }
      },
    }),
    deleteSession: onSession.delete('/api/sessions/{sessionId}', {
      summary: 'Delete a session',
      description:
        'Archives the session (see [archive](#/Sessions/archiveSession)), then deletes it with its chats, messages, runs and their event logs, and removes its server-managed workspace folder. A workspace folder the client registered is left as it is. Afterwards the session is not found (404).',
      responses: { 200: { description: 'Deleted', schema: DeletedSessionResponse } },
      handler: async ({ auth, params }) => {
        await s.sessions.get(auth, params.sessionId, { foreign: 'forbidden' })
        await s.sessions.delete(auth, params.sessionId)
        return { status: 200, body: { sessionId: params.sessionId, deleted: true } }
      },
    }),
  })
}

// Recoup-style session endpoints (camelCase, ISO timestamps, `{status:"error", error}` errors).
import { Chat, CreateSessionInput, Session } from '@runyard/contract'
import { z } from 'zod'
import { defineRoute } from '../../http/route.ts'
import { recoup } from '../../http/surfaces.ts'
import type { Services } from '../deps.ts'

export const CreateSessionResponse = z.object({ session: Session, chat: Chat }).meta({ id: 'CreateSessionResponse' })
export const GetSessionResponse = z.object({ session: Session }).meta({ id: 'GetSessionResponse' })
export const ListSessionsResponse = z.object({ sessions: z.array(Session) }).meta({ id: 'ListSessionsResponse' })

export function recoupSessionRoutes(s: Services) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/sessions',
      operationId: 'createSession',
      summary: 'Create a session',
      description:
        'Creates an agent session (`lifecycleState: provisioning`) and its initial chat in one transaction. Answers **200** (as the hosted API does). Unknown body fields are ignored. A `workspacePath` or absolute `globalSkillRefs` entry must be a folder this server lets clients use (403 `workspace_not_allowed` says why otherwise).',
      tags: ['Sessions'],
      surface: recoup,
      auth: true,
      body: CreateSessionInput,
      bodyExamples: { byWorkspacePath: { value: { title: 'Fix the flaky test', workspacePath: '/home/me/project' } }, byRepo: { value: { repoOwner: 'acme', repoName: 'api', branch: 'main' } } },
      responses: { 200: { description: 'Session and its first chat', schema: CreateSessionResponse } },
      errors: [400, 403, 404],
      handler: async ({ auth, body }) => ({ status: 200, body: await s.sessions.create(auth, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/sessions/{sessionId}',
      operationId: 'getSession',
      summary: 'Get a session',
      tags: ['Sessions'],
      surface: recoup,
      auth: true,
      params: z.object({ sessionId: z.string().meta({ description: 'Session id (`sess_…`)' }) }),
      responses: { 200: { description: 'The session', schema: GetSessionResponse } },
      errors: [403, 404],
      handler: async ({ auth, params }) => ({ status: 200, body: { session: await s.sessions.get(auth, params.sessionId, { foreign: 'forbidden' }) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/sessions',
      operationId: 'listSessions',
      summary: 'List sessions',
      tags: ['Sessions'],
      surface: recoup,
      auth: true,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
      responses: { 200: { description: 'Sessions of the caller, newest first', schema: ListSessionsResponse } },
      errors: [400],
      handler: async ({ auth, query }) => ({ status: 200, body: { sessions: await s.sessions.list(auth, { limit: query.limit }) } }),
    }),
  ]
}

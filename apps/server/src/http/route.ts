// REST routes are declared once against contract schemas; both the Express handler (validation,
// auth, error mapping) and the OpenAPI document are generated from the declaration.
import type { RouteConfig, ResponseConfig } from '@asteasolutions/zod-to-openapi'
import { AppError, inputProblem } from '@runyard/contract'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { z } from 'zod'
import { zodIssuesMessage, type AuthContext, type AuthService } from '@runyard/services'
import type { Logger } from '../logger.ts'
import { readJsonBody } from './body.ts'
import { toAppError } from './errors.ts'
import { requestAuth } from './request-auth.ts'
import { reachedRoute } from './route-template.ts'
import type { ErrorShape } from './error-shapes.ts'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface RouteResponse {
  description: string
  /** JSON body schema; omit for empty responses (204). With `sse`, the JSON alternative of the same status. */
  schema?: z.ZodType
  /** Server-sent events: the schema (if any) describes one frame's `data` JSON. */
  sse?: { frame?: z.ZodType; description: string }
  headers?: Record<string, { description: string; schema?: { type: 'string' | 'integer' } }>
  example?: unknown
}

export interface HandlerResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface HandlerArgs<P, Q, B> {
  params: P
  query: Q
  body: B
  /** Present on routes with `auth: true`. */
  auth: AuthContext
  req: Request
  res: Response
}

/** What the routes of one API group share: their OpenAPI tags, error shape and whether they need a caller. */
export interface RouteGroup {
  tags: string[]
  surface: ErrorShape
  auth: boolean
}

/** One operation, without what its group says for it. */
export interface RouteDeclaration<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method
  /** OpenAPI-style path (`/api/sessions/{sessionId}`). */
  path: string
  operationId: string
  summary: string
  description?: string
  params?: P
  query?: Q
  body?: B
  bodyDescription?: string
  bodyExamples?: Record<string, { summary?: string; value: unknown }>
  responses: Record<number, RouteResponse>
  /** Error statuses this route can answer with (documented in the surface's error shape). */
  errors: number[]
  /** Returns the response, or undefined when the handler wrote it (streams). */
  handler(args: HandlerArgs<z.output<P>, z.output<Q>, z.output<B>>): Promise<HandlerResult | undefined>
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>
  extends RouteDeclaration<P, Q, B>, RouteGroup {}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>

/**
 * What a route states itself: its method and path are how it is declared (`route.get(path, …)`),
 * its operationId is its key in `operations({...})`, and `errors` adds to those of its preset.
 */
export type Operation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = Omit<
  RouteDeclaration<P, Q, B>,
  'method' | 'path' | 'operationId' | 'errors'
> & { errors?: number[] }

/** A declared route waiting for its operationId. */
export type Declared = (operationId: string) => AnyRoute

type Declare = <
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(
  path: string,
  operation: Operation<P, Q, B>,
) => Declared

/** Declares a route whose path parameters (and some errors) its preset already says. */
type DeclareWith<P extends z.ZodType> = <Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  path: string,
  operation: Omit<Operation<P, Q, B>, 'params'>,
) => Declared

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete']

/** For the routes on one resource: the path parameters that name it, the errors naming it can give (404…). */
export interface ResourcePreset<P extends z.ZodType> {
  params: P
  errors: number[]
}

function methods<D>(declare: (method: Method) => D): Record<Method, D> {
  return Object.fromEntries(METHODS.map((m) => [m, declare(m)])) as Record<Method, D>
}

/** What a group's routes share, and the errors every one of them can answer with. */
export interface GroupOptions extends RouteGroup {
  errors?: number[]
}

function declared(
  group: RouteGroup,
  shared: number[],
  method: Method,
  path: string,
  operation: Operation<z.ZodType, z.ZodType, z.ZodType>,
): Declared {
  const errors = [...new Set([...shared, ...(operation.errors ?? [])])]
  return (operationId) => ({ ...group, ...operation, method, path, operationId, errors })
}

/**
 * Declares the routes of one group (a surface's file) with what they share said once:
 * `const route = routeGroup({ tags: ['Chat'], surface: rest, auth: true })`, then
 * `operations({ getRun: route.get('/api/runs/{runId}', {...}) })`; routes on one resource
 * take its parameters and errors from `const onRun = route.on({ params, errors: [404] })`.
 */
export function routeGroup({ errors = [], ...group }: GroupOptions) {
  // Each declaration was checked against its own schemas where it was written.
  const widen = (op: object) => op as Operation<z.ZodType, z.ZodType, z.ZodType>
  return {
    ...methods<Declare>((method) => (path, operation) => declared(group, errors, method, path, widen(operation))),
    on: <P extends z.ZodType>(preset: ResourcePreset<P>) =>
      methods<DeclareWith<P>>(
        (method) => (path, operation) =>
          declared(group, [...errors, ...preset.errors], method, path, widen({ ...operation, params: preset.params })),
      ),
  }
}

/** The routes of a group in the order given, each named by its key (the OpenAPI operationId). */
export function operations(routes: Record<string, Declared>): AnyRoute[] {
  return Object.entries(routes).map(([operationId, declare]) => declare(operationId))
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing, invalid, expired or revoked API key',
  403: 'The key may not act on this resource',
  404: 'Not found (or not owned by the caller)',
  409: 'Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`)',
  413: 'The request body is larger than the limit (10 MiB)',
  429: 'A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again',
  500: 'Unexpected server error',
  503: 'Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed)',
}

export function sendError(res: Response, surface: ErrorShape, err: unknown, log?: Logger) {
  const e = toAppError(err)
  if (e.status >= 500) log?.error({ err, code: e.code }, 'request failed')
  if (res.headersSent) {
    // Mid-stream: the status is gone; end the stream (the surface's stream protocol reports errors in-band).
    if (!res.writableEnded) res.end()
    return
  }
  if (e.details.retryAfterSeconds !== undefined) res.set('Retry-After', String(e.details.retryAfterSeconds))
  res.status(e.status).json(surface.errorBody(e))
}

export interface MountDeps {
  auth: AuthService
  log: Logger
}

/**
 * The static start of a route's path, up to two segments (`/api/chat`, `/v1/responses`): its
 * routes are mounted together under it, so a request only meets the routes of its own prefix.
 */
export function mountPrefix(path: string): string {
  const segments = path.split('/').slice(1, 3)
  const end = segments.findIndex((s) => s.includes('{'))
  return `/${(end === -1 ? segments : segments.slice(0, end)).join('/')}`
}

/**
 * Mounts the routes on `parent`, one router per path prefix (mountPrefix) in the order the
 * prefixes first appear. Express tries every layer in turn until one matches: with all 43 routes
 * in one router, `POST /api/chat/runs` was matched against the 7 routes declared before it; now a
 * request is matched against a handful of prefixes and then its own prefix's routes only. A path
 * no route has still reaches whatever `parent` mounts after these (the surfaces' 404s).
 */
export function mountRoutes(parent: Router, routes: AnyRoute[], deps: MountDeps) {
  const routers = new Map<string, Router>()
  for (const route of routes) {
    const prefix = mountPrefix(route.path)
    let router = routers.get(prefix)
    if (!router) routers.set(prefix, (router = express.Router()))
    mountRoute(router, route, prefix === '/' ? route.path : route.path.slice(prefix.length), deps)
  }
  for (const [prefix, router] of routers) parent.use(prefix, router)
}

/** One route on its prefix's router; `path` is the rest of its path after the prefix. */
function mountRoute(router: Router, route: AnyRoute, path: string, deps: MountDeps) {
  const expressPath = path.replace(/\{(\w+)\}/g, ':$1') || '/'
  const template = route.path.replace(/\{(\w+)\}/g, ':$1') // what metrics and traces name it by
  const handle = async (req: Request, res: Response) => {
    try {
      // The caller first: an anonymous client never makes the server read a body.
      const auth = route.auth ? await requestAuth(deps.auth, req) : (undefined as unknown as AuthContext)
      const params = parse(route.params, req.params, 'path')
      const query = parse(route.query, req.query, 'query')
      let body: unknown = undefined
      if (route.body) {
        await readJsonBody(req, res)
        if (!req.is('application/json') && req.body === undefined)
          throw new AppError('bad_request', 'bad_request', 'Send a JSON body with `content-type: application/json`.')
        body = parse(route.body, req.body, 'body')
      }
      const result = await route.handler({ params, query, body, auth, req, res })
      if (!result || res.headersSent) return
      if (result.headers) res.set(result.headers)
      if (result.body === undefined) res.status(result.status).end()
      else sendJson(req, res, result.status, result.body)
    } catch (err) {
      sendError(res, route.surface, err, deps.log)
    }
  }
  router[route.method](expressPath, (req: Request, res: Response, _next: NextFunction) => {
    reachedRoute(req, template)
    void handle(req, res)
  })
}

/**
 * A route's JSON answer. GET and HEAD through Express's res.json (an ETag, and 304 to a matching
 * If-None-Match); any other method with the same status, content type and length but no ETag: such
 * an answer is never fresh, so res.send's work on it (a SHA-1 of the body for the ETag, parsing and
 * rewriting the content type, the freshness check) was for nothing on every admission.
 */
function sendJson(req: Request, res: Response, status: number, body: unknown) {
  if (req.method === 'GET' || req.method === 'HEAD') return void res.status(status).json(body)
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined
  const problem = inputProblem(value, where)
  if (problem) throw problem
  const r = schema.safeParse(value ?? {})
  if (!r.success)
    throw new AppError('bad_request', 'bad_request', zodIssuesMessage(r.error, where), {
      param: r.error.issues[0]?.path.join('.') || undefined,
    })
  return r.data
}

/** The route as an OpenAPI path item (consumed by the document builder). */
export function toOpenApiRoute(route: AnyRoute): RouteConfig {
  const responses: Record<number, ResponseConfig> = {}
  for (const [status, r] of Object.entries(route.responses)) {
    const headers = r.headers
      ? Object.fromEntries(
          Object.entries(r.headers).map(([k, h]) => [
            k,
            { description: h.description, schema: h.schema ?? { type: 'string' } },
          ]),
        )
      : undefined
    if (r.sse) {
      // A route may answer JSON or a stream for the same status (e.g. `stream: true|false`).
      const json = r.schema
        ? { 'application/json': { schema: r.schema, ...(r.example !== undefined ? { example: r.example } : {}) } }
        : {}
      responses[Number(status)] = {
        description: `${r.description}\n\n${r.sse.description}`,
        headers,
        content: { ...json, 'text/event-stream': { schema: r.sse.frame ? r.sse.frame : z.string() } },
      }
    } else if (r.schema) {
      responses[Number(status)] = {
        description: r.description,
        headers,
        content: {
          'application/json': { schema: r.schema, ...(r.example !== undefined ? { example: r.example } : {}) },
        },
      }
    } else responses[Number(status)] = { description: r.description, headers }
  }
  // Every route can answer 400 (malformed URL or parameters), 403 (local mode: a foreign Host or
  // Origin), 500 and 503 (database unreachable); authenticated ones 401; routes with a body 413.
  const errors = new Set([400, 403, ...route.errors, 500, 503])
  if (route.auth) errors.add(401)
  if (route.body) errors.add(413)
  for (const status of errors) {
    const headers =
      status === 429 || status === 503
        ? {
            'Retry-After': {
              description: 'Seconds to wait before trying again.',
              schema: { type: 'integer' as const },
            },
          }
        : undefined
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      headers,
      content: { 'application/json': { schema: route.surface.errorSchema } },
    }
  }
  return {
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: route.tags,
    security: route.auth ? [{ apiKey: [] }, { bearer: [] }, {}] : [],
    request: {
      ...(route.params ? { params: route.params as never } : {}),
      ...(route.query ? { query: route.query as never } : {}),
      ...(route.body
        ? {
            body: {
              required: true,
              description: route.bodyDescription,
              content: {
                'application/json': {
                  schema: route.body,
                  ...(route.bodyExamples ? { examples: route.bodyExamples } : {}),
                },
              },
            },
          }
        : {}),
    },
    responses,
  }
}

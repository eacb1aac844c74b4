// The Express application: tRPC at /trpc, the REST surfaces, /openapi.json, /docs, the console.
import fs from 'node:fs'
import path from 'node:path'
import { createExpressMiddleware } from '@trpc/server/adapters/express'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import { AppError } from '@runyard/contract'
import { readJsonBody } from './http/body.ts'
import { corsFor } from './http/cors.ts'
import { docsRouter } from './http/docs-page.ts'
import { localGuard } from './http/local-guard.ts'
import { buildOpenApiDocument } from './http/openapi.ts'
import { toAppError } from './http/errors.ts'
import { mountRoutes, sendError, type AnyRoute } from './http/route.ts'
import { requestAuth } from './http/request-auth.ts'
import { errorShapeForPath } from './http/error-shapes.ts'
import { requestLog } from './http/request-log.ts'
import { httpMetrics } from './observability/http-metrics.ts'
import type { RunyardMetrics } from './observability/metrics.ts'
import { opsRouter } from './observability/ops-routes.ts'
import type { Logger } from './logger.ts'
import type { Services } from '@runyard/services'
import { cometcodeRoutes } from './surfaces/cometcode/routes.ts'
import { chatRoutes } from './surfaces/chat/chat-runs.ts'
import { keyRoutes } from './surfaces/chat/keys.ts'
import { webhookRoutes } from './surfaces/chat/webhooks.ts'
import { sessionRoutes } from './surfaces/chat/sessions.ts'
import { chatCompletionRoutes } from './surfaces/chat-completions/routes.ts'
import { responsesRoutes } from './surfaces/responses/routes.ts'
import { systemRoutes } from './surfaces/system.ts'
import { appRouter, createTrpcContext, retryAfterHeader } from '@runyard/api'

export function restRoutes(s: Services): AnyRoute[] {
  return [
    ...systemRoutes(s),
    ...sessionRoutes(s),
    ...chatRoutes(s),
    ...keyRoutes(s),
    ...webhookRoutes(s),
    ...cometcodeRoutes(s),
    ...responsesRoutes(s),
    ...chatCompletionRoutes(s),
  ]
}

export interface AppOptions {
  services: Services
  log: Logger
  /** Built console (index.html + assets); the console is not served when absent. */
  consoleDir?: string
  publicUrl: string
  /** Browser origins allowed besides the console's own (RUNYARD_CORS_ORIGINS). */
  corsOrigins?: readonly string[]
  /** This process's metrics: served at /metrics, and HTTP latency and event streams counted. */
  metrics?: RunyardMetrics
  /** A bearer token that may read /metrics (RUNYARD_METRICS_TOKEN). */
  metricsToken?: string
}

/** Calls in one tRPC batch request (the console batches a handful). */
export const TRPC_MAX_BATCH = 16

export function createApp(opts: AppOptions): Express {
  const { services, log } = opts
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  if (opts.metrics) app.use(httpMetrics(app, opts.metrics))
  app.use(requestLog(log))

  app.use(localGuard({ auth: services.auth, corsOrigins: opts.corsOrigins ?? [], publicUrl: opts.publicUrl }))
  const crossOrigin = corsFor(opts.corsOrigins ?? [])
  if (crossOrigin) app.use(crossOrigin)
  app.use(
    opsRouter({
      auth: services.auth,
      system: services.system,
      log,
      metrics: opts.metrics,
      metricsToken: opts.metricsToken,
    }),
  )

  // tRPC mutations: the caller is checked before the body is read, and the body goes through the
  // same parser as REST's (size limit, nesting); an error here is answered by tRPC in its shape.
  const rejected = new WeakMap<Request, AppError>()
  app.use('/trpc', (req, res, next) => {
    if (req.method !== 'POST') return next()
    requestAuth(services.auth, req)
      .then(() => readJsonBody(req, res))
      .catch((err: unknown) => {
        rejected.set(req, toAppError(err))
        req.body = 'null' // tRPC must not read the rest of the stream
      })
      .finally(() => next())
  })
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req }) => createTrpcContext(services, () => requestAuth(services.auth, req), rejected.get(req)),
      maxBatchSize: TRPC_MAX_BATCH,
      responseMeta: ({ errors }) => ({ headers: retryAfterHeader(errors) }),
    }),
  )

  const routes = restRoutes(services)
  const api = express.Router()
  mountRoutes(api, routes, { auth: services.auth, log })
  app.use(api)

  let document: unknown
  app.get('/openapi.json', (_req, res) => {
    document ??= buildOpenApiDocument(routes, opts.publicUrl)
    res.json(document)
  })
  app.use(docsRouter())

  // Unknown API and operator paths answer in their surface's error shape, never with the
  // console's HTML (a probe pointed at a wrong path must fail).
  app.use(['/api', '/v1', '/trpc', '/healthz', '/readyz', '/metrics'], (req, res) =>
    sendError(
      res,
      errorShapeForPath(req.originalUrl),
      new AppError(
        'not_found',
        'not_found',
        `No route for ${req.method} ${req.originalUrl.split('?')[0]!.slice(0, 300)}`,
      ),
    ),
  )

  if (opts.consoleDir && fs.existsSync(path.join(opts.consoleDir, 'index.html'))) {
    const dir = opts.consoleDir
    app.use(express.static(dir, { index: false, maxAge: '1h', immutable: false }))
    app.get('/{*splat}', (_req, res) => res.sendFile(path.join(dir, 'index.html')))
  } else {
    app.get(
      '/',
      (_req, res) =>
        void res
          .type('html')
          .send(
            '<!doctype html><title>Runyard</title><p>Runyard is running. The console is not built: run <code>npm start</code> (it builds it) or <code>pnpm --filter @runyard/console build</code>. API docs: <a href="/docs">/docs</a>.</p>',
          ),
    )
  }

  // Anything else (a POST to the console, say) is a JSON 404 too, never Express's HTML page.
  app.use((req, res) =>
    sendError(
      res,
      errorShapeForPath(req.path),
      new AppError('not_found', 'not_found', `No route for ${req.method} ${req.path.slice(0, 300)}`),
    ),
  )

  // The error boundary for whatever failed outside a route's own handling (a malformed
  // percent-encoding in the URL, say): JSON in the path's surface shape, never a stack.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) =>
    sendError(res, errorShapeForPath(req.path), err, log),
  )
  return app
}

/** The OpenAPI document without a running server (route declarations only; handlers are not called). */
export function openApiDocument(serverUrl = 'http://127.0.0.1:7700') {
  return buildOpenApiDocument(restRoutes({} as Services), serverUrl)
}

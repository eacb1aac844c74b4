// The Express application: tRPC at /trpc, the REST surfaces, /openapi.json, /docs, the console.
import fs from 'node:fs'
import path from 'node:path'
import { createExpressMiddleware } from '@trpc/server/adapters/express'
import express, { type Express } from 'express'
import { pinoHttp } from 'pino-http'
import { AppError } from '@runyard/contract'
import { docsRouter } from './http/docs-page.ts'
import { buildOpenApiDocument } from './http/openapi.ts'
import { mountRoutes, sendError, type AnyRoute } from './http/route.ts'
import { surfaceForPath } from './http/surfaces.ts'
import type { Logger } from './logger.ts'
import type { Services } from './surfaces/deps.ts'
import { cometcodeRoutes } from './surfaces/cometcode/routes.ts'
import { recoupChatRoutes } from './surfaces/recoup/chat-runs.ts'
import { recoupSessionRoutes } from './surfaces/recoup/sessions.ts'
import { responsesRoutes } from './surfaces/responses/routes.ts'
import { systemRoutes } from './surfaces/system.ts'
import { createContextFactory } from './trpc/init.ts'
import { appRouter } from './trpc/router.ts'

export function restRoutes(s: Services): AnyRoute[] {
  return [...systemRoutes(s), ...recoupSessionRoutes(s), ...recoupChatRoutes(s), ...cometcodeRoutes(s), ...responsesRoutes(s)]
}

export interface AppOptions {
  services: Services
  log: Logger
  /** Built console (index.html + assets); the console is not served when absent. */
  consoleDir?: string
  publicUrl: string
}

export function createApp(opts: AppOptions): Express {
  const { services, log } = opts
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(pinoHttp({ logger: log, autoLogging: { ignore: (req) => req.url === '/api/v1/health' }, quietReqLogger: true }))

  app.use('/trpc', createExpressMiddleware({ router: appRouter, createContext: createContextFactory(services), maxBodySize: 10 * 1024 * 1024 }))

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

  // Unknown API paths answer in their surface's error shape, never with the console's HTML.
  app.use(['/api', '/v1', '/trpc'], (req, res) => sendError(res, surfaceForPath(req.originalUrl), new AppError('not_found', 'not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`)))

  if (opts.consoleDir && fs.existsSync(path.join(opts.consoleDir, 'index.html'))) {
    const dir = opts.consoleDir
    app.use(express.static(dir, { index: false, maxAge: '1h', immutable: false }))
    app.get('/{*splat}', (_req, res) => res.sendFile(path.join(dir, 'index.html')))
  } else {
    app.get('/', (_req, res) =>
      void res.type('html').send('<!doctype html><title>Runyard</title><p>Runyard is running. The console is not built: run <code>npm start</code> (it builds it) or <code>pnpm --filter @runyard/console build</code>. API docs: <a href="/docs">/docs</a>.</p>'),
    )
  }
  return app
}

/** The OpenAPI document without a running server (route declarations only; handlers are not called). */
export function openApiDocument(serverUrl = 'http://127.0.0.1:7700') {
  return buildOpenApiDocument(restRoutes({} as Services), serverUrl)
}

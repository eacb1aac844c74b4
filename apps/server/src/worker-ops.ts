// A `runyard worker` process's own small HTTP server, when RUNYARD_WORKER_PORT is set: /healthz,
// /readyz and /metrics only, so that orchestrators can probe workers and Prometheus can scrape
// them (metrics are per process: the runs a worker executes are counted by that worker). Access
// follows the same rules as an API process: in keys mode /metrics needs a key or the metrics token.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { notFound } from '@runyard/contract'
import type { Db } from '@runyard/db'
import type { Engine } from '@runyard/engine'
import { anyKeyCreated, AuthService, ensureLocalAccount, SystemService } from '@runyard/services'
import express from 'express'
import type { ServerConfig } from './config.ts'
import { errorShapeForPath } from './http/error-shapes.ts'
import { localGuard } from './http/local-guard.ts'
import { sendError } from './http/route.ts'
import type { Logger } from './logger.ts'
import type { RunyardMetrics } from './observability/metrics.ts'
import { opsRouter } from './observability/ops-routes.ts'
import { decideAuthMode, StartupError } from './runtime.ts'

export interface WorkerOpsServer {
  url: string
  close(): Promise<void>
}

export async function startWorkerOpsServer(
  config: ServerConfig,
  port: number,
  deps: { db: Db; engine: Engine; metrics: RunyardMetrics; log: Logger },
): Promise<WorkerOpsServer> {
  const { host } = config.server
  const localAccountId = await ensureLocalAccount(deps.db.pool)
  const mode = await decideAuthMode(config, await anyKeyCreated(deps.db.pool))
  const auth = new AuthService(deps.db, mode, localAccountId, config.auth === 'auto')
  const app = express()
  app.disable('x-powered-by')
  app.use(localGuard({ auth, corsOrigins: [], publicUrl: config.server.publicUrl }))
  app.use(
    opsRouter({
      auth,
      system: new SystemService(deps.engine),
      log: deps.log,
      metrics: deps.metrics,
      metricsToken: config.server.metricsToken,
    }),
  )
  app.use((req, res) =>
    sendError(
      res,
      errorShapeForPath(req.path),
      notFound(
        'not_found',
        `No route for ${req.method} ${req.path.slice(0, 300)} (a worker answers /healthz, /readyz and /metrics only)`,
      ),
    ),
  )
  const server = http.createServer(app)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new StartupError(
              `RUNYARD_WORKER_PORT ${port} on ${host} is already in use. Pick another port (0: any free one).`,
            )
          : err,
      ),
    )
    server.listen(port, host, () => resolve())
  })
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

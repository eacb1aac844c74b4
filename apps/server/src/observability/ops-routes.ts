// The operator's endpoints: /healthz (the process answers), /readyz (database, schema and queue
// ready: 200, else 503 with the failing checks) and /metrics (Prometheus text format). Probes
// need no key; /metrics is read with an API key in keys mode, or with RUNYARD_METRICS_TOKEN.
import crypto from 'node:crypto'
import express, { type Request, type Response, type Router } from 'express'
import { forbidden, unauthorized } from '@runyard/contract'
import type { AuthService, SystemService } from '@runyard/services'
import { errorShapeForPath } from '../http/error-shapes.ts'
import { requestAuth } from '../http/request-auth.ts'
import { sendError } from '../http/route.ts'
import type { Logger } from '../logger.ts'
import type { RunyardMetrics } from './metrics.ts'

export interface OpsOptions {
  auth: AuthService
  system: SystemService
  log: Logger
  metrics?: RunyardMetrics
  /** A bearer token that may read /metrics (RUNYARD_METRICS_TOKEN). */
  metricsToken?: string
}

export function opsRouter(opts: OpsOptions): Router {
  const router = express.Router()
  const noStore = (res: Response) => res.set('cache-control', 'no-store')

  router.get('/healthz', (_req, res) => void noStore(res).json({ status: 'ok' }))

  router.get('/readyz', (_req, res) => {
    opts.system.readiness().then(
      (readiness) =>
        void noStore(res)
          .status(readiness.status === 'ready' ? 200 : 503)
          .json(readiness),
      (err: unknown) => sendError(res, errorShapeForPath('/readyz'), err, opts.log),
    )
  })

  const { metrics } = opts
  if (metrics) {
    router.get('/metrics', (req, res) => {
      authorizeScrape(req, opts)
        .then(() => metrics.scrape())
        .then(({ contentType, body }) => void noStore(res).type(contentType).send(body))
        .catch((err: unknown) => sendError(res, errorShapeForPath('/metrics'), err, opts.log))
    })
  }
  return router
}

/**
 * The metrics token when one is configured; otherwise as any API call: nothing in local mode,
 * a valid key in keys mode. Never a run's own key: an agent has no business reading the
 * server's metrics (they cover every account).
 */
async function authorizeScrape(req: Request, opts: OpsOptions): Promise<void> {
  const auth = req.header('authorization')
  const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1]?.trim()
  if (opts.metricsToken && bearer && sameSecret(bearer, opts.metricsToken)) return
  if (opts.metricsToken && (await opts.auth.currentMode()) === 'local') {
    throw unauthorized(
      'Reading /metrics needs the metrics token: send `Authorization: Bearer <RUNYARD_METRICS_TOKEN>`.',
    )
  }
  const caller = await requestAuth(opts.auth, req)
  if (caller.keyKind === 'ephemeral') throw forbidden("A run's API key cannot read the server's metrics.")
}

/** Constant-time comparison (of digests, so the lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest()
  return crypto.timingSafeEqual(digest(a), digest(b))
}

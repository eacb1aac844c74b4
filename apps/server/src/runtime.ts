// Boots a Runyard process: database (embedded or external), auth mode, agent runtime, engine,
// services, HTTP server — and shuts it all down gracefully.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RunExecutor, SandboxHibernator } from '@runyard/contract'
import { createDb, type Db } from '@runyard/db'
import { createEngine, type Engine } from '@runyard/engine'
import { createApp } from './app.ts'
import { StartupError } from './startup-error.ts'
import { dbOptions, engineConfig, isLoopback, type ServerConfig } from './config.ts'
import { createLogger, type Logger } from './logger.ts'
import { startTracing, withRequestSpans, type Tracing } from './telemetry/index.ts'
import { retentionSchedules } from './retention.ts'
import { startLeftoverSandboxSweep } from './leftover-sandbox-sweep.ts'
import { createObservability } from './observability/index.ts'
import { ensureLocalAccount, OrgMemberService } from '@runyard/services'
import { anyKeyCreated } from '@runyard/services'
import { AuthService, type AuthMode } from '@runyard/services'
import type { RuntimeInfo } from '@runyard/services'
import { ChatService } from '@runyard/services'
import { ResponseService } from '@runyard/services'
import { RunService } from '@runyard/services'
import { SessionService } from '@runyard/services'
import { SystemService } from '@runyard/services'
import { WebhookService } from '@runyard/services'
import { WorkspacePolicy } from '@runyard/services'
import type { Services } from '@runyard/services'

export { StartupError } from './startup-error.ts'

export interface Overrides {
  /** Use this database instead of creating one (tests). */
  db?: Db
  /**
   * A database already being opened for this server (the CLI starts the embedded PostgreSQL while
   * the server's modules load): owned like one this function opens, and closed with the server.
   */
  opening?: Promise<Db>
  /** Agent runtime to use instead of the configured one (tests: scripted executor). */
  agent?: { runtime: RuntimeInfo; executor: RunExecutor; hibernator?: SandboxHibernator; warm?(): void }
  log?: Logger
  progress?: (message: string) => void
}

export interface RunningServer {
  url: string
  port: number
  authMode: AuthMode
  services: Services
  db: Db
  engine: Engine
  log: Logger
  close(): Promise<void>
}

export async function decideAuthMode(config: ServerConfig, keysExist: boolean): Promise<AuthMode> {
  const { host } = config.server
  const loopback = isLoopback(host)
  if (config.auth === 'local' && !loopback)
    throw new StartupError(
      `RUNYARD_AUTH=local is only allowed on a loopback address, but RUNYARD_HOST is ${host}. Use RUNYARD_AUTH=keys (or auto) and create a key.`,
    )
  const mode: AuthMode = config.auth === 'auto' ? (keysExist || !loopback ? 'keys' : 'local') : config.auth
  if (!loopback && !keysExist)
    throw new StartupError(
      `Refusing to listen on ${host} (not a loopback address) without API keys: anyone who can reach it could run agents. ` +
        `Create a key first with \`npm run runyard -- keys create --name admin\`, or bind to 127.0.0.1.`,
    )
  return mode
}

/** The folders the workspace rules are about, from the configuration. */
export function workspaceRules(config: ServerConfig) {
  return { roots: config.workspaces.roots, dataDir: config.database.dataDir, managedDir: config.workspaces.dir }
}

export async function startRunyard(config: ServerConfig, overrides: Overrides = {}): Promise<RunningServer> {
  const { host, port: configuredPort } = config.server
  const log = overrides.log ?? createLogger(config.server.logLevel, { format: config.server.logFormat })
  const progress = overrides.progress ?? ((m: string) => log.info(m))
  let engine: Engine | undefined
  let auth: AuthService | undefined
  const observability = createObservability(log, () =>
    engine ? engine.queueStats() : Promise.reject(new Error('the engine is not started')),
  )
  const workspacePolicy = new WorkspacePolicy({ ...workspaceRules(config), mode: () => auth!.currentMode() })
  // The agent needs no database: its light modules load and its sandbox probe runs while the
  // database opens (the probe's processes and PostgreSQL's start are waits, not this thread's work).
  const creatingAgent = overrides.agent
    ? Promise.resolve(overrides.agent)
    : import('./agent.ts').then(({ createAgent }) =>
        createAgent(
          config,
          log,
          (real) => workspacePolicy.refusal(real, { registering: false }),
          observability.agentHooks,
        ),
      )
  creatingAgent.catch(() => {}) // awaited below; not an unhandled rejection meanwhile
  const db = overrides.db ?? (await (overrides.opening ?? createDb({ ...dbOptions(config), onProgress: progress })))
  let tracing: Tracing | undefined
  let engineStarted: Promise<void> | undefined
  let server: http.Server | undefined
  // Retention's hourly job (RUNYARD_RETENTION_DAYS), worked by `runyard start` processes.
  const retention = retentionSchedules(config, db, log)
  try {
    tracing = await startTracing(config.tracing, log)
    const [localAccountId, keysExist] = await Promise.all([ensureLocalAccount(db.pool), anyKeyCreated(db.pool)])
    const authMode = await decideAuthMode(config, keysExist)
    const agent = await creatingAgent
    for (const w of agent.runtime.warnings) log.warn(w)

    const publicUrl = config.server.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${configuredPort}`
    engine = createEngine({
      db,
      executor: config.workers.enabled ? agent.executor : undefined,
      hibernator: agent.hibernator,
      log,
      config: engineConfig(config, publicUrl),
      observers: observability.observers,
      schedules: retention.schedules,
    })
    // The queue starts (pg-boss: its schema check and queues, ~0.1–0.2 s) while the services and
    // the app are assembled and the server starts listening (see queueWaiting).
    engineStarted = engine.start()
    engineStarted.catch(() => {}) // awaited below, once listening
    auth = new AuthService(db, authMode, localAccountId, config.auth === 'auto')
    const sessions = new SessionService(db.prisma, agent.runtime, engine, log, workspacePolicy, config.workspaces.dir)
    const runs = new RunService(db.prisma, engine, sessions, agent.runtime)
    const responses = new ResponseService(runs, sessions, agent.runtime, {
      timeoutMs: config.server.responsesTimeoutMs,
    })
    const services: Services = {
      auth,
      sessions,
      chats: new ChatService(db.prisma),
      runs,
      responses,
      system: new SystemService(engine),
      orgMembers: new OrgMemberService(db.prisma),
      runtime: agent.runtime,
      webhooks: new WebhookService(db.prisma, engine, { allowHosts: config.webhooks.allowHosts }),
    }
    const app = createApp({
      services,
      log,
      consoleDir: config.server.consoleDir,
      publicUrl,
      corsOrigins: config.server.corsOrigins,
      metrics: observability.metrics,
      metricsToken: config.server.metricsToken,
    })
    const httpServer = http.createServer(queueWaiting(tracing ? withRequestSpans(app) : app, engineStarted))
    server = httpServer
    httpServer.keepAliveTimeout = 65_000
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new StartupError(
                `Port ${configuredPort} on ${host} is already in use. Stop the other process or set RUNYARD_PORT.`,
              )
            : err,
        ),
      )
      httpServer.listen(configuredPort, host, () => resolve())
    })
    await engineStarted
    // The agent's executor (the AI SDK, the provider SDKs, the tools) was left off the path to
    // listening; it loads now, in the background, and a run that comes first waits for it.
    agent.warm?.()
    // Prisma connects on its first query, instantiating and compiling its query compiler (wasm):
    // ~0.1–0.3 s of CPU. One query now, after the start, so that the first request does not pay
    // it (the start-up's own queries are plain SQL, and createDb does not connect, for that reason).
    void db.prisma.account.findUnique({ where: { id: localAccountId }, select: { id: true } }).catch(() => {})
    const port = (httpServer.address() as AddressInfo).port
    const leftoverSweep = startLeftoverSandboxSweep(sessions, log)
    const url = config.server.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    const running = engine
    let closing: Promise<void> | undefined
    return {
      url,
      port,
      authMode,
      services,
      db,
      engine: running,
      log,
      close: () =>
        (closing ??= (async () => {
          // Stop accepting connections and let in-flight requests finish; long-lived streams are
          // cut after a grace period (their runs go on and clients resume elsewhere/later).
          const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
          httpServer.closeIdleConnections()
          await Promise.race([closed, new Promise((r) => setTimeout(r, 3_000).unref())])
          httpServer.closeAllConnections()
          await closed
          await leftoverSweep.stop()
          await running.stop()
          await retention.close()
          if (!overrides.db) await db.close()
          await tracing?.shutdown()
        })()),
    }
  } catch (err) {
    if (server?.listening) {
      server.close()
      server.closeAllConnections()
    }
    await engineStarted?.catch(() => {}) // a start still under way finishes before the stop
    await engine?.stop().catch(() => {})
    await retention.close().catch(() => {})
    if (!overrides.db) await db.close().catch(() => {})
    await tracing?.shutdown()
    throw err
  }
}

/** Probes answered while the queue is still starting: liveness (the API and its database) and readiness. */
const ANSWERED_WHILE_STARTING = new Set(['/api/v1/health', '/healthz', '/readyz'])

/**
 * The server listens as soon as the database is open and migrated, while pg-boss is still
 * starting: `/api/v1/health` and `/healthz` (liveness) answer at once, `/readyz` says `not_ready`
 * (check `queue`) until the queue runs, and every other request waits until it has started, so
 * none fails because the queue is not up yet (nor any run is admitted before it is). Should the
 * queue's start fail, the waiting requests go on to the app (the surfaces answer them in their
 * error shapes) while the start fails and the server closes.
 */
function queueWaiting(app: http.RequestListener, started: Promise<void>): http.RequestListener {
  let up = false
  const upNow = () => (up = true)
  void started.then(upNow, upNow)
  return (req, res) => {
    if (up || ANSWERED_WHILE_STARTING.has((req.url ?? '').split('?', 1)[0]!)) return void app(req, res)
    const go = () => void app(req, res)
    void started.then(go, go)
  }
}

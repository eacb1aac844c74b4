// The typed configuration the server runs on, one section per part it configures, built from
// the validated variables. Relative paths are resolved against the start directory here, once.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FetchPolicy, ModelRegistryOptions, SandboxOptions, ToolLimits } from '@runyard/agent-runtime'
import { defaultDbPoolSize, MAX_DEFAULT_DB_POOL_SIZE } from '@runyard/db/defaults'
import type { RunLimits } from '@runyard/engine'
import type { LogFormat } from '../logger.ts'
import { dataDirOf } from './data-dir.ts'
import { toTracingConfig, type TracingConfig } from './tracing.ts'
import type { AUTH_MODES, LOG_LEVELS, VariableValues } from './variables.ts'

export interface ServerConfig {
  server: {
    host: string
    port: number
    publicUrl: string | undefined
    /** The console build to serve. */
    consoleDir: string
    /** Browser origins allowed to call the API besides the console's own. */
    corsOrigins: string[]
    logLevel: (typeof LOG_LEVELS)[number]
    /** `auto`: pretty lines on a terminal, JSON otherwise. */
    logFormat: LogFormat
    /** A bearer token that may read /metrics besides API keys (a scraper's own secret). */
    metricsToken: string | undefined
    /** How long a non-streaming /v1/responses call waits before answering `in_progress`. */
    responsesTimeoutMs: number
  }
  database: {
    /** An external PostgreSQL; undefined: the embedded one in `dataDir`. */
    url: string | undefined
    dataDir: string
    /** Connections of the process's shared pool (the API, Prisma and the engine's statements). */
    poolSize: number
  }
  auth: (typeof AUTH_MODES)[number]
  workers: {
    /** Run workers in `runyard start` (false: an API-only process). */
    enabled: boolean
    concurrency: number
    statementConcurrency: number
    /** Where a `runyard worker` answers /healthz, /readyz and /metrics; undefined: it opens no port. */
    port: number | undefined
  }
  /** The engine's timings. */
  engine: {
    runLeaseMs: number
    maxAttempts: number
    maxRunMs: number
    ephemeralKeyTtlMs: number
    /** A session with a suspendable sandbox (E2B) and no run for this long is hibernated (paused). */
    sessionIdleMs: number
    /** Rate limits and the concurrent-run quota of admission; each undefined when off. */
    limits: RunLimits
  }
  /** Days after which finished runs' events and old archived sessions are deleted; undefined: never (the default). */
  retentionDays: number | undefined
  workspaces: {
    /** Parent of the server-managed workspace folders (`<dir>/<accountId>/<sessionId>`). */
    dir: string
    /** Where clients may name workspace folders (RUNYARD_WORKSPACE_ROOTS); undefined when not set. */
    roots: string[] | undefined
  }
  agent: {
    maxSteps: number
    subAgentMaxSteps: number
    limits: Pick<ToolLimits, 'bashTimeoutMs'>
    /** A module exporting `createExecutor(): RunExecutor`, used instead of the agent (custom executors, tests). */
    executorModule: string | undefined
  }
  fetch: Pick<FetchPolicy, 'allowPrivate' | 'allowHosts' | 'timeoutMs' | 'maxBytes'>
  webhooks: {
    /** Hosts endpoints may name even when private, and over plain http. */
    allowHosts: string[]
    /** The waits before each retry of a failed message. */
    retryDelaysMs: number[]
    /** An endpoint failing with no success for this long is disabled. */
    disableAfterMs: number
    /** Attempts one account may have in flight at once, per worker process. */
    concurrencyPerAccount: number
  }
  sandbox: SandboxOptions
  models: ModelRegistryOptions
  /** OpenTelemetry traces; undefined: off (no endpoint set), nothing of the SDK loaded. */
  tracing: TracingConfig | undefined
}

/** The console build inside this repository (apps/console/dist). */
export const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/dist')

export function toServerConfig(v: VariableValues, cwd: string): ServerConfig {
  const resolve = (p: string) => path.resolve(cwd, p)
  const poolSize = v.RUNYARD_DB_POOL_SIZE ?? dbPoolSizeFor(v.RUNYARD_WORKER_STATEMENT_CONCURRENCY)
  return {
    server: {
      host: v.RUNYARD_HOST,
      port: v.RUNYARD_PORT,
      publicUrl: v.RUNYARD_PUBLIC_URL,
      consoleDir: v.RUNYARD_CONSOLE_DIR ? resolve(v.RUNYARD_CONSOLE_DIR) : DEFAULT_CONSOLE_DIR,
      corsOrigins: v.RUNYARD_CORS_ORIGINS,
      logLevel: v.RUNYARD_LOG_LEVEL,
      logFormat: v.RUNYARD_LOG_FORMAT,
      metricsToken: v.RUNYARD_METRICS_TOKEN,
      responsesTimeoutMs: v.RUNYARD_RESPONSES_TIMEOUT_MS,
    },
    database: {
      url: v.DATABASE_URL,
      dataDir: dataDirOf(v.RUNYARD_DATA_DIR, cwd),
      poolSize,
    },
    auth: v.RUNYARD_AUTH,
    workers: {
      enabled: v.RUNYARD_WORKERS,
      concurrency: v.RUNYARD_WORKER_CONCURRENCY,
      // A connection of the pool is always the API's: with RUNYARD_DB_POOL_SIZE at or below the
      // slots, the workers could hold every one (slots beyond the pool's connections gain nothing).
      statementConcurrency: Math.min(v.RUNYARD_WORKER_STATEMENT_CONCURRENCY, poolSize - 1),
      port: v.RUNYARD_WORKER_PORT,
    },
    engine: {
      runLeaseMs: v.RUNYARD_RUN_LEASE_MS,
      maxAttempts: v.RUNYARD_MAX_ATTEMPTS,
      maxRunMs: v.RUNYARD_MAX_RUN_MS,
      ephemeralKeyTtlMs: v.RUNYARD_EPHEMERAL_KEY_TTL_MS,
      sessionIdleMs: v.RUNYARD_SESSION_IDLE_MS,
      limits: {
        runsPerMinutePerKey: v.RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY,
        runsPerMinutePerAccount: v.RUNYARD_RATE_RUNS_PER_MINUTE_PER_ACCOUNT,
        maxConcurrentRunsPerAccount: v.RUNYARD_MAX_CONCURRENT_RUNS_PER_ACCOUNT,
      },
    },
    retentionDays: v.RUNYARD_RETENTION_DAYS,
    workspaces: { dir: resolve(v.RUNYARD_WORKSPACES_DIR ?? '.runyard/workspaces'), roots: v.RUNYARD_WORKSPACE_ROOTS },
    agent: {
      maxSteps: v.RUNYARD_MAX_STEPS,
      subAgentMaxSteps: v.RUNYARD_SUBAGENT_MAX_STEPS,
      limits: { bashTimeoutMs: v.RUNYARD_BASH_TIMEOUT_MS },
      executorModule: v.RUNYARD_EXECUTOR_MODULE ? resolve(v.RUNYARD_EXECUTOR_MODULE) : undefined,
    },
    fetch: {
      allowPrivate: v.RUNYARD_FETCH_ALLOW_PRIVATE,
      allowHosts: v.RUNYARD_FETCH_ALLOW_HOSTS,
      timeoutMs: v.RUNYARD_FETCH_TIMEOUT_MS,
      maxBytes: v.RUNYARD_FETCH_MAX_BYTES,
    },
    webhooks: {
      allowHosts: v.RUNYARD_WEBHOOK_ALLOW_HOSTS,
      retryDelaysMs: v.RUNYARD_WEBHOOK_RETRY_DELAYS,
      disableAfterMs: v.RUNYARD_WEBHOOK_DISABLE_AFTER_MS,
      concurrencyPerAccount: v.RUNYARD_WEBHOOK_CONCURRENCY_PER_ACCOUNT,
    },
    sandbox: {
      mode: v.RUNYARD_SANDBOX,
      // The server's own PATH: where bwrap is looked for, and what host-sandbox commands get.
      local: { allowNetwork: v.RUNYARD_SANDBOX_NETWORK, searchPath: v.PATH },
      host: { path: v.PATH },
      e2b: {
        apiKey: v.E2B_API_KEY,
        template: v.RUNYARD_E2B_TEMPLATE,
        timeoutMs: v.RUNYARD_E2B_TIMEOUT_MS,
        apiUrl: v.E2B_API_URL,
        sandboxUrl: v.E2B_SANDBOX_URL,
        domain: v.E2B_DOMAIN,
      },
    },
    models: {
      defaultModel: v.RUNYARD_MODEL,
      extraModels: v.RUNYARD_MODELS,
      openai: v.OPENAI_API_KEY
        ? { apiKey: v.OPENAI_API_KEY, baseURL: v.OPENAI_BASE_URL, api: v.RUNYARD_OPENAI_API }
        : undefined,
      openaiCompatible: v.OPENAI_COMPATIBLE_BASE_URL
        ? { baseURL: v.OPENAI_COMPATIBLE_BASE_URL, apiKey: v.OPENAI_COMPATIBLE_API_KEY }
        : undefined,
    },
    tracing: toTracingConfig(v),
  }
}

/**
 * The shared pool's default: the database's rule (defaultDbPoolSize), or a connection more than
 * the workers' statement slots when those are set higher, up to the same ceiling (the slots are
 * then cut to the pool less one: toServerConfig).
 */
function dbPoolSizeFor(workerStatementConcurrency: number): number {
  return Math.min(MAX_DEFAULT_DB_POOL_SIZE, Math.max(defaultDbPoolSize(), workerStatementConcurrency + 1))
}

/** What `createDb` needs from the configuration: the database and the size of the shared pool. */
export function dbOptions(config: ServerConfig): { databaseUrl?: string; dataDir: string; poolSize: number } {
  return { databaseUrl: config.database.url, dataDir: config.database.dataDir, poolSize: config.database.poolSize }
}

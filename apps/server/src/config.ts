// Server configuration from the environment, validated once at startup with readable errors.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { defaultWorkerStatementConcurrency, EPHEMERAL_KEY_TTL_BOUNDS, type EngineConfig } from '@runyard/engine'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const ConfigSchema = z.object({
  RUNYARD_HOST: z.string().min(1).default('127.0.0.1'),
  RUNYARD_PORT: int(0, 65535).default(7700),
  RUNYARD_PUBLIC_URL: z.url().optional(),
  RUNYARD_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  RUNYARD_AUTH: z.enum(['auto', 'local', 'keys']).default('auto'),
  RUNYARD_WORKERS: bool.default(true),
  RUNYARD_WORKER_CONCURRENCY: int(1, 256).default(8),
  RUNYARD_WORKER_STATEMENT_CONCURRENCY: int(1, 256).default(defaultWorkerStatementConcurrency()),
  RUNYARD_EPHEMERAL_KEY_TTL_MS: int(EPHEMERAL_KEY_TTL_BOUNDS.min, EPHEMERAL_KEY_TTL_BOUNDS.max).default(15 * 60_000),
  RUNYARD_RUN_LEASE_MS: int(2_000, 600_000).default(30_000),
  RUNYARD_MAX_ATTEMPTS: int(1, 20).default(3),
  RUNYARD_MAX_RUN_MS: int(60_000, 7 * 86_400_000).default(60 * 60_000),
  RUNYARD_RESPONSES_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  RUNYARD_SESSION_IDLE_MS: int(10_000, 7 * 86_400_000).default(10 * 60_000),
  RUNYARD_CONSOLE_DIR: z.string().optional(),
  RUNYARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RUNYARD_WORKSPACES_DIR: z.string().min(1).optional(),
  RUNYARD_WORKSPACE_ROOTS: z
    .string()
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .refine((roots) => roots.every((p) => p.startsWith('/')), 'must be comma-separated absolute paths')
    .optional(),
  RUNYARD_CORS_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((origins) => origins.every(isOrigin), 'must be comma-separated origins such as http://localhost:3000 (scheme, host and port only)')
    .optional(),
})

/** `scheme://host[:port]` exactly as a browser sends it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value
  } catch {
    return false
  }
}

export type RawConfig = z.infer<typeof ConfigSchema>

export interface ServerConfig {
  host: string
  port: number
  publicUrl: string | undefined
  dataDir: string
  databaseUrl: string | undefined
  auth: 'auto' | 'local' | 'keys'
  workers: boolean
  workerConcurrency: number
  workerStatementConcurrency: number
  ephemeralKeyTtlMs: number
  runLeaseMs: number
  maxAttempts: number
  maxRunMs: number
  responsesTimeoutMs: number
  /** A session with a suspendable sandbox (E2B) and no run for this long is hibernated (paused). */
  sessionIdleMs: number
  consoleDir: string | undefined
  logLevel: RawConfig['RUNYARD_LOG_LEVEL']
  /** Parent of the server-managed workspace folders (`<dir>/<accountId>/<sessionId>`). */
  workspacesDir: string
  /** Where clients may name workspace folders (RUNYARD_WORKSPACE_ROOTS); undefined when not set. */
  workspaceRoots: string[] | undefined
  /** Browser origins allowed to call the API besides the console's own. */
  corsOrigins: string[]
  /** The full environment, for the agent runtime's own settings (models, sandboxes). */
  env: Record<string, string | undefined>
}

/** The console build inside this repository (apps/console/dist). */
export const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist')

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): ServerConfig {
  // Empty strings count as unset, as in most .env conventions.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = ConfigSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const c = parsed.data
  return {
    host: c.RUNYARD_HOST,
    port: c.RUNYARD_PORT,
    publicUrl: c.RUNYARD_PUBLIC_URL,
    dataDir: path.resolve(cwd, c.RUNYARD_DATA_DIR ?? '.runyard/data'),
    databaseUrl: c.DATABASE_URL,
    auth: c.RUNYARD_AUTH,
    workers: c.RUNYARD_WORKERS,
    workerConcurrency: c.RUNYARD_WORKER_CONCURRENCY,
    workerStatementConcurrency: c.RUNYARD_WORKER_STATEMENT_CONCURRENCY,
    ephemeralKeyTtlMs: c.RUNYARD_EPHEMERAL_KEY_TTL_MS,
    runLeaseMs: c.RUNYARD_RUN_LEASE_MS,
    maxAttempts: c.RUNYARD_MAX_ATTEMPTS,
    maxRunMs: c.RUNYARD_MAX_RUN_MS,
    responsesTimeoutMs: c.RUNYARD_RESPONSES_TIMEOUT_MS,
    sessionIdleMs: c.RUNYARD_SESSION_IDLE_MS,
    consoleDir: c.RUNYARD_CONSOLE_DIR ? path.resolve(cwd, c.RUNYARD_CONSOLE_DIR) : DEFAULT_CONSOLE_DIR,
    logLevel: c.RUNYARD_LOG_LEVEL,
    workspacesDir: path.resolve(cwd, c.RUNYARD_WORKSPACES_DIR ?? '.runyard/workspaces'),
    workspaceRoots: c.RUNYARD_WORKSPACE_ROOTS,
    corsOrigins: c.RUNYARD_CORS_ORIGINS ?? [],
    env,
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

/** Engine settings derived from the server configuration (API processes and workers alike). */
export function engineConfig(config: ServerConfig, apiUrl: string | undefined): Partial<EngineConfig> {
  // Heartbeats (and lost-worker checks) six times per lease: a run is taken over about one
  // lease after its worker stopped.
  const beat = Math.max(250, Math.floor(config.runLeaseMs / 6))
  return {
    leaseMs: config.runLeaseMs,
    heartbeatMs: beat,
    reapIntervalMs: beat,
    maxAttempts: config.maxAttempts,
    maxRunMs: config.maxRunMs,
    ephemeralKeyTtlMs: config.ephemeralKeyTtlMs,
    concurrency: config.workerConcurrency,
    workerStatementConcurrency: config.workerStatementConcurrency,
    sessionIdleMs: config.sessionIdleMs,
    apiUrl,
  }
}

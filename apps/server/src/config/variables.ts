// Every environment variable Runyard reads, with its kind, bounds and default: the README's
// "Configuration" table, in its order (test/config.test.ts keeps the two in step).
import {
  DEFAULT_E2B_TEMPLATE,
  DEFAULT_E2B_TIMEOUT_MS,
  DEFAULT_FETCH_POLICY,
  DEFAULT_MAX_STEPS,
  DEFAULT_SUBAGENT_MAX_STEPS,
  DEFAULT_TOOL_LIMITS,
  OPENAI_APIS,
  SANDBOX_MODES,
} from '@runyard/agent-runtime/settings'
import {
  DEFAULT_ENGINE_CONFIG,
  DEFAULT_WEBHOOK_CONFIG,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  defaultWorkerStatementConcurrency,
  EPHEMERAL_KEY_TTL_BOUNDS,
} from '@runyard/engine/config'
import { z } from 'zod'
import { LOG_FORMATS } from '../logger.ts'
import { durations, flag, httpUrl, int, isHostEntry, isOrigin, keyValues, list, num, oneOf, text } from './kinds.ts'
import { OTLP_PROTOCOLS, TRACE_SAMPLERS } from './tracing.ts'

const DAY_MS = 86_400_000

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export const AUTH_MODES = ['auto', 'local', 'keys'] as const

export const Variables = z.object({
  // server
  RUNYARD_HOST: text.default('127.0.0.1'),
  RUNYARD_PORT: int(0, 65535).default(7700),
  RUNYARD_PUBLIC_URL: httpUrl.optional(),
  RUNYARD_DATA_DIR: text.optional(),
  DATABASE_URL: text.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  RUNYARD_DB_POOL_SIZE: int(2, 1000).optional(),
  RUNYARD_AUTH: oneOf(AUTH_MODES).default('auto'),
  // workers and engine timings
  RUNYARD_WORKERS: flag().default(true),
  RUNYARD_WORKER_CONCURRENCY: int(1, 256).default(DEFAULT_ENGINE_CONFIG.concurrency),
  RUNYARD_WORKER_STATEMENT_CONCURRENCY: int(1, 256).default(defaultWorkerStatementConcurrency()),
  RUNYARD_WORKER_PORT: int(0, 65535).optional(),
  RUNYARD_RUN_LEASE_MS: int(2_000, 600_000).default(30_000),
  RUNYARD_MAX_ATTEMPTS: int(1, 20).default(3),
  RUNYARD_MAX_RUN_MS: int(60_000, 7 * DAY_MS).default(60 * 60_000),
  RUNYARD_EPHEMERAL_KEY_TTL_MS: int(EPHEMERAL_KEY_TTL_BOUNDS.min, EPHEMERAL_KEY_TTL_BOUNDS.max).default(15 * 60_000),
  RUNYARD_RESPONSES_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  RUNYARD_SESSION_IDLE_MS: int(10_000, 7 * DAY_MS).default(10 * 60_000),
  // retention and rate limits (off unless set)
  RUNYARD_RETENTION_DAYS: int(1, 36_500).optional(),
  RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY: int(1, 1_000_000).optional(),
  RUNYARD_RATE_RUNS_PER_MINUTE_PER_ACCOUNT: int(1, 1_000_000).optional(),
  RUNYARD_MAX_CONCURRENT_RUNS_PER_ACCOUNT: int(1, 1_000_000).optional(),
  RUNYARD_CONSOLE_DIR: text.optional(),
  RUNYARD_LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  RUNYARD_LOG_FORMAT: oneOf(LOG_FORMATS).default('auto'),
  RUNYARD_METRICS_TOKEN: text.min(16, 'must be at least 16 characters (a random secret)').optional(),
  RUNYARD_EXECUTOR_MODULE: text.optional(),
  // models and providers
  RUNYARD_MODEL: text.optional(),
  RUNYARD_MODELS: list(() => true, 'comma-separated provider/model ids').default([]),
  OPENAI_API_KEY: text.optional(),
  OPENAI_BASE_URL: httpUrl.optional(),
  RUNYARD_OPENAI_API: oneOf(OPENAI_APIS).default('responses'),
  OPENAI_COMPATIBLE_BASE_URL: httpUrl.optional(),
  OPENAI_COMPATIBLE_API_KEY: text.optional(),
  // steps, sandboxes and workspaces
  RUNYARD_MAX_STEPS: int(1, 1000).default(DEFAULT_MAX_STEPS),
  RUNYARD_SUBAGENT_MAX_STEPS: int(1, 1000).default(DEFAULT_SUBAGENT_MAX_STEPS),
  RUNYARD_SANDBOX: oneOf(SANDBOX_MODES).default('auto'),
  RUNYARD_SANDBOX_NETWORK: flag(['allow']).default(false),
  RUNYARD_WORKSPACES_DIR: text.optional(),
  RUNYARD_WORKSPACE_ROOTS: list((p) => p.startsWith('/'), 'comma-separated absolute paths').optional(),
  RUNYARD_CORS_ORIGINS: list(
    isOrigin,
    'comma-separated origins such as http://localhost:3000 (scheme, host and port only)',
  ).default([]),
  RUNYARD_BASH_TIMEOUT_MS: int(1_000, DEFAULT_TOOL_LIMITS.bashMaxTimeoutMs).default(DEFAULT_TOOL_LIMITS.bashTimeoutMs),
  PATH: text.optional(),
  // E2B
  E2B_API_KEY: text.optional(),
  RUNYARD_E2B_TEMPLATE: text.default(DEFAULT_E2B_TEMPLATE),
  RUNYARD_E2B_TIMEOUT_MS: int(1, Number.MAX_SAFE_INTEGER).default(DEFAULT_E2B_TIMEOUT_MS),
  E2B_DOMAIN: text.optional(),
  E2B_API_URL: httpUrl.optional(),
  E2B_SANDBOX_URL: httpUrl.optional(),
  // the fetch tool
  RUNYARD_FETCH_ALLOW_PRIVATE: flag().default(DEFAULT_FETCH_POLICY.allowPrivate),
  RUNYARD_FETCH_ALLOW_HOSTS: list(isHostEntry, 'comma-separated host or host:port entries').default([]),
  RUNYARD_FETCH_TIMEOUT_MS: int(1_000, 10 * 60_000).default(DEFAULT_FETCH_POLICY.timeoutMs),
  RUNYARD_FETCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(DEFAULT_FETCH_POLICY.maxBytes),
  // webhooks
  RUNYARD_WEBHOOK_ALLOW_HOSTS: list(isHostEntry, 'comma-separated host or host:port entries').default([]),
  RUNYARD_WEBHOOK_RETRY_DELAYS: durations(100, 7 * DAY_MS, 20).default(DEFAULT_WEBHOOK_RETRY_DELAYS_MS),
  RUNYARD_WEBHOOK_DISABLE_AFTER_MS: int(60_000, 365 * DAY_MS).default(DEFAULT_WEBHOOK_CONFIG.disableAfterMs),
  RUNYARD_WEBHOOK_CONCURRENCY_PER_ACCOUNT: int(1, 1000).default(DEFAULT_WEBHOOK_CONFIG.concurrencyPerAccount),
  // traces (OpenTelemetry's standard variables; config/tracing.ts)
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: oneOf(OTLP_PROTOCOLS).default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: oneOf(OTLP_PROTOCOLS).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: keyValues.default({}),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: keyValues.default({}),
  OTEL_EXPORTER_OTLP_TIMEOUT: int(1, 600_000).default(10_000),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: int(1, 600_000).optional(),
  OTEL_SERVICE_NAME: text.optional(),
  OTEL_RESOURCE_ATTRIBUTES: keyValues.default({}),
  OTEL_TRACES_SAMPLER: oneOf(TRACE_SAMPLERS).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: num(0, 1).default(1),
  OTEL_BSP_SCHEDULE_DELAY: int(0, 600_000).default(5_000),
  OTEL_BSP_MAX_QUEUE_SIZE: int(1, 1_000_000).default(2_048),
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: flag().default(false),
  OTEL_SDK_DISABLED: flag().default(false),
})

export type VariableValues = z.infer<typeof Variables>
export type VariableName = keyof typeof Variables.shape

export const VARIABLE_NAMES = Object.keys(Variables.shape) as VariableName[]

// loadConfig on its own (no server): every variable's default and where each one lands, one
// readable line per mistake, unknown RUNYARD_* names, and the README table kept in step.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_CONSOLE_DIR, loadConfig, type ServerConfig } from '../src/config.ts'
import { VARIABLE_NAMES } from '../src/config/variables.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** The problem lines of a configuration that must not load. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as ConfigError).problems
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('loadConfig defaults', () => {
  it('gives every setting its default when nothing is set', () => {
    const expected: ServerConfig = {
      server: {
        host: '127.0.0.1',
        port: 7700,
        publicUrl: undefined,
        consoleDir: DEFAULT_CONSOLE_DIR,
        corsOrigins: [],
        logLevel: 'info',
        logFormat: 'auto',
        metricsToken: undefined,
        responsesTimeoutMs: 120_000,
      },
      database: {
        url: undefined,
        dataDir: '/srv/.runyard/data',
        poolSize: Math.min(20, Math.max(4, 2 * os.availableParallelism())),
      },
      auth: 'auto',
      workers: {
        enabled: true,
        concurrency: 16,
        // cores + 1, and at most the pool less one (on more than 19 cores)
        statementConcurrency: Math.min(os.availableParallelism() + 1, 19),
        port: undefined,
      },
      engine: {
        runLeaseMs: 30_000,
        maxAttempts: 3,
        maxRunMs: 3_600_000,
        ephemeralKeyTtlMs: 900_000,
        sessionIdleMs: 600_000,
        limits: {
          runsPerMinutePerKey: undefined,
          runsPerMinutePerAccount: undefined,
          maxConcurrentRunsPerAccount: undefined,
        },
      },
      retentionDays: undefined,
      workspaces: { dir: '/srv/.runyard/workspaces', roots: undefined },
      agent: { maxSteps: 50, subAgentMaxSteps: 25, limits: { bashTimeoutMs: 120_000 }, executorModule: undefined },
      fetch: { allowPrivate: false, allowHosts: [], timeoutMs: 30_000, maxBytes: 1_048_576 },
      webhooks: {
        allowHosts: [],
        retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
        disableAfterMs: 5 * 86_400_000,
        concurrencyPerAccount: 2,
      },
      sandbox: {
        mode: 'auto',
        local: { allowNetwork: false, searchPath: undefined },
        host: { path: undefined },
        e2b: {
          apiKey: undefined,
          template: 'base',
          timeoutMs: 900_000,
          apiUrl: undefined,
          sandboxUrl: undefined,
          domain: undefined,
        },
      },
      models: { defaultModel: undefined, extraModels: [], openai: undefined, openaiCompatible: undefined },
      tracing: undefined,
    }
    expect(loadConfig({}, '/srv')).toStrictEqual(expected)
    expect(path.relative(repoRoot, DEFAULT_CONSOLE_DIR)).toBe(path.join('apps', 'console', 'dist'))
  })

  it('counts empty and blank values as unset, and trims the others', () => {
    expect(
      loadConfig({ RUNYARD_PORT: '', RUNYARD_SANDBOX: '   ', RUNYARD_HOST: ' ::1 ' }, '/srv').server,
    ).toMatchObject({ port: 7700, host: '::1' })
    expect(loadConfig({ RUNYARD_SANDBOX: '   ' }, '/srv').sandbox.mode).toBe('auto')
  })
})

const OTLP = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }
const TRACING_DEFAULTS: ServerConfig['tracing'] = {
  url: 'http://collector:4318/v1/traces',
  protocol: 'http/protobuf',
  headers: {},
  timeoutMs: 10_000,
  resource: { 'service.name': 'runyard' },
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
  batch: { scheduleDelayMs: 5_000, maxQueueSize: 2_048 },
  captureContent: false,
}

describe('loadConfig puts each variable where it belongs', () => {
  const cases: [Record<string, string>, (c: ServerConfig) => unknown, unknown][] = [
    [{ RUNYARD_HOST: '0.0.0.0' }, (c) => c.server.host, '0.0.0.0'],
    [{ RUNYARD_PORT: '0' }, (c) => c.server.port, 0],
    [{ RUNYARD_PUBLIC_URL: 'https://runyard.example' }, (c) => c.server.publicUrl, 'https://runyard.example'],
    [{ RUNYARD_DATA_DIR: 'data' }, (c) => c.database.dataDir, '/srv/data'],
    [{ DATABASE_URL: 'postgresql://u:p@db/runyard' }, (c) => c.database.url, 'postgresql://u:p@db/runyard'],
    [{ RUNYARD_DB_POOL_SIZE: '3' }, (c) => c.database.poolSize, 3],
    [
      { RUNYARD_WORKER_STATEMENT_CONCURRENCY: '40' },
      (c) => [c.workers.statementConcurrency, c.database.poolSize],
      [19, 20],
    ],
    [{ RUNYARD_AUTH: 'keys' }, (c) => c.auth, 'keys'],
    [{ RUNYARD_WORKERS: 'false' }, (c) => c.workers.enabled, false],
    [{ RUNYARD_WORKERS: 'No' }, (c) => c.workers.enabled, false],
    [{ RUNYARD_WORKER_CONCURRENCY: '2' }, (c) => c.workers.concurrency, 2],
    [{ RUNYARD_WORKER_STATEMENT_CONCURRENCY: '5' }, (c) => c.workers.statementConcurrency, 5],
    [{ RUNYARD_WORKER_PORT: '9464' }, (c) => c.workers.port, 9464],
    [{ RUNYARD_RUN_LEASE_MS: '3000' }, (c) => c.engine.runLeaseMs, 3000],
    [{ RUNYARD_MAX_ATTEMPTS: '1' }, (c) => c.engine.maxAttempts, 1],
    [{ RUNYARD_MAX_RUN_MS: '120000' }, (c) => c.engine.maxRunMs, 120_000],
    [{ RUNYARD_EPHEMERAL_KEY_TTL_MS: '60000' }, (c) => c.engine.ephemeralKeyTtlMs, 60_000],
    [{ RUNYARD_RESPONSES_TIMEOUT_MS: '1000' }, (c) => c.server.responsesTimeoutMs, 1000],
    [{ RUNYARD_SESSION_IDLE_MS: '10000' }, (c) => c.engine.sessionIdleMs, 10_000],
    [{ RUNYARD_RETENTION_DAYS: '30' }, (c) => c.retentionDays, 30],
    [{ RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY: '60' }, (c) => c.engine.limits.runsPerMinutePerKey, 60],
    [{ RUNYARD_RATE_RUNS_PER_MINUTE_PER_ACCOUNT: '120' }, (c) => c.engine.limits.runsPerMinutePerAccount, 120],
    [{ RUNYARD_MAX_CONCURRENT_RUNS_PER_ACCOUNT: '20' }, (c) => c.engine.limits.maxConcurrentRunsPerAccount, 20],
    [{ RUNYARD_CONSOLE_DIR: 'ui' }, (c) => c.server.consoleDir, '/srv/ui'],
    [{ RUNYARD_LOG_LEVEL: 'WARN' }, (c) => c.server.logLevel, 'warn'],
    [{ RUNYARD_LOG_FORMAT: 'json' }, (c) => c.server.logFormat, 'json'],
    [{ RUNYARD_METRICS_TOKEN: 'a-scraper-secret-0123' }, (c) => c.server.metricsToken, 'a-scraper-secret-0123'],
    [{ RUNYARD_EXECUTOR_MODULE: 'exec.ts' }, (c) => c.agent.executorModule, '/srv/exec.ts'],
    [{ RUNYARD_MODEL: 'demo' }, (c) => c.models.defaultModel, 'demo'],
    [
      { OPENAI_API_KEY: 'sk', RUNYARD_MODELS: 'openai/a, ,openai/b' },
      (c) => c.models.extraModels,
      ['openai/a', 'openai/b'],
    ],
    [{ OPENAI_API_KEY: 'sk' }, (c) => c.models.openai, { apiKey: 'sk', baseURL: undefined, api: 'responses' }],
    [
      { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'http://llm:8000/v1', RUNYARD_OPENAI_API: 'chat' },
      (c) => c.models.openai,
      { apiKey: 'sk', baseURL: 'http://llm:8000/v1', api: 'chat' },
    ],
    [
      {
        OPENAI_COMPATIBLE_BASE_URL: 'http://vllm:8000/v1',
        OPENAI_COMPATIBLE_API_KEY: 'k',
        RUNYARD_MODEL: 'openai-compatible/qwen',
      },
      (c) => c.models.openaiCompatible,
      { baseURL: 'http://vllm:8000/v1', apiKey: 'k' },
    ],
    [{ RUNYARD_MAX_STEPS: '1000' }, (c) => c.agent.maxSteps, 1000],
    [{ RUNYARD_SUBAGENT_MAX_STEPS: '1' }, (c) => c.agent.subAgentMaxSteps, 1],
    [{ RUNYARD_SANDBOX: 'E2B', E2B_API_KEY: 'e2b_test' }, (c) => c.sandbox.mode, 'e2b'],
    [{ RUNYARD_SANDBOX_NETWORK: 'allow' }, (c) => c.sandbox.local?.allowNetwork, true],
    [{ RUNYARD_SANDBOX_NETWORK: 'on' }, (c) => c.sandbox.local?.allowNetwork, true],
    [{ RUNYARD_WORKSPACES_DIR: 'ws' }, (c) => c.workspaces.dir, '/srv/ws'],
    [{ RUNYARD_WORKSPACE_ROOTS: '/a, /b/c' }, (c) => c.workspaces.roots, ['/a', '/b/c']],
    [
      { RUNYARD_CORS_ORIGINS: 'http://localhost:3000,https://app.example' },
      (c) => c.server.corsOrigins,
      ['http://localhost:3000', 'https://app.example'],
    ],
    [{ RUNYARD_BASH_TIMEOUT_MS: '600000' }, (c) => c.agent.limits.bashTimeoutMs, 600_000],
    [
      { PATH: '/opt/bin:/usr/bin' },
      (c) => [c.sandbox.local?.searchPath, c.sandbox.host?.path],
      ['/opt/bin:/usr/bin', '/opt/bin:/usr/bin'],
    ],
    [{ E2B_API_KEY: 'e2b_k' }, (c) => c.sandbox.e2b?.apiKey, 'e2b_k'],
    [{ RUNYARD_E2B_TEMPLATE: 'mine' }, (c) => c.sandbox.e2b?.template, 'mine'],
    [{ RUNYARD_E2B_TIMEOUT_MS: '60000' }, (c) => c.sandbox.e2b?.timeoutMs, 60_000],
    [{ E2B_DOMAIN: 'e2b.example' }, (c) => c.sandbox.e2b?.domain, 'e2b.example'],
    [{ E2B_API_URL: 'http://127.0.0.1:3000' }, (c) => c.sandbox.e2b?.apiUrl, 'http://127.0.0.1:3000'],
    [{ E2B_SANDBOX_URL: 'http://127.0.0.1:3001' }, (c) => c.sandbox.e2b?.sandboxUrl, 'http://127.0.0.1:3001'],
    [{ RUNYARD_FETCH_ALLOW_PRIVATE: 'true' }, (c) => c.fetch.allowPrivate, true],
    [{ RUNYARD_FETCH_ALLOW_HOSTS: 'a:1, b, [::1]:8080' }, (c) => c.fetch.allowHosts, ['a:1', 'b', '[::1]:8080']],
    [{ RUNYARD_FETCH_TIMEOUT_MS: '1000' }, (c) => c.fetch.timeoutMs, 1000],
    [{ RUNYARD_FETCH_MAX_BYTES: '1024' }, (c) => c.fetch.maxBytes, 1024],
    [
      { RUNYARD_WEBHOOK_ALLOW_HOSTS: '127.0.0.1:8080, hooks.internal' },
      (c) => c.webhooks.allowHosts,
      ['127.0.0.1:8080', 'hooks.internal'],
    ],
    [
      { RUNYARD_WEBHOOK_RETRY_DELAYS: '500ms, 2s,1m,1h,1d' },
      (c) => c.webhooks.retryDelaysMs,
      [500, 2_000, 60_000, 3_600_000, 86_400_000],
    ],
    [{ RUNYARD_WEBHOOK_DISABLE_AFTER_MS: '3600000' }, (c) => c.webhooks.disableAfterMs, 3_600_000],
    [{ RUNYARD_WEBHOOK_CONCURRENCY_PER_ACCOUNT: '4' }, (c) => c.webhooks.concurrencyPerAccount, 4],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, (c) => c.tracing, TRACING_DEFAULTS],
    [
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/in/traces',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      },
      (c) => c.tracing?.url,
      'https://otel.example/in/traces',
    ],
    [{ ...OTLP, OTEL_EXPORTER_OTLP_PROTOCOL: 'HTTP/JSON' }, (c) => c.tracing?.protocol, 'http/json'],
    [
      { ...OTLP, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
      (c) => c.tracing?.protocol,
      'http/protobuf',
    ],
    [{ ...OTLP, OTEL_EXPORTER_OTLP_HEADERS: 'a=1, b=x%20y' }, (c) => c.tracing?.headers, { a: '1', b: 'x y' }],
    [
      { ...OTLP, OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=3' },
      (c) => c.tracing?.headers,
      { a: '1', b: '3' },
    ],
    [{ ...OTLP, OTEL_EXPORTER_OTLP_TIMEOUT: '2000' }, (c) => c.tracing?.timeoutMs, 2000],
    [
      { ...OTLP, OTEL_EXPORTER_OTLP_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '3000' },
      (c) => c.tracing?.timeoutMs,
      3000,
    ],
    [
      { ...OTLP, OTEL_SERVICE_NAME: 'yard-1', OTEL_RESOURCE_ATTRIBUTES: 'service.name=other' },
      (c) => c.tracing?.resource['service.name'],
      'yard-1',
    ],
    [
      { ...OTLP, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=yard' },
      (c) => c.tracing?.resource,
      { 'deployment.environment.name': 'prod', 'service.name': 'yard' },
    ],
    [{ ...OTLP, OTEL_TRACES_SAMPLER: 'TraceIdRatio' }, (c) => c.tracing?.sampler, 'traceidratio'],
    [{ ...OTLP, OTEL_TRACES_SAMPLER_ARG: '0.25' }, (c) => c.tracing?.samplerRatio, 0.25],
    [{ ...OTLP, OTEL_BSP_SCHEDULE_DELAY: '100' }, (c) => c.tracing?.batch.scheduleDelayMs, 100],
    [{ ...OTLP, OTEL_BSP_MAX_QUEUE_SIZE: '10' }, (c) => c.tracing?.batch.maxQueueSize, 10],
    [{ ...OTLP, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, (c) => c.tracing?.captureContent, true],
    [{ ...OTLP, OTEL_SDK_DISABLED: 'true' }, (c) => c.tracing, undefined],
  ]

  it.each(cases)('%j', (env, get, expected) => {
    expect(get(loadConfig(env, '/srv'))).toEqual(expected)
  })

  it('covers every variable', () => {
    const covered = new Set(cases.flatMap(([env]) => Object.keys(env)))
    expect(VARIABLE_NAMES.filter((n) => !covered.has(n))).toEqual([])
  })
})

describe('loadConfig mistakes', () => {
  it.each([
    [
      'an integer out of bounds',
      { RUNYARD_MAX_STEPS: '0' },
      'RUNYARD_MAX_STEPS must be an integer from 1 to 1000 (got "0")',
    ],
    [
      'a log format that is none',
      { RUNYARD_LOG_FORMAT: 'xml' },
      'RUNYARD_LOG_FORMAT must be one of auto, pretty, json (got "xml")',
    ],
    // a secret's value is not shown, even a bad one (the terminal's or the container's log keeps it)
    [
      'a metrics token too short to be a secret',
      { RUNYARD_METRICS_TOKEN: 'short' },
      'RUNYARD_METRICS_TOKEN must be at least 16 characters (a random secret)',
    ],
    [
      'a number that is no integer',
      { RUNYARD_PORT: '80.5' },
      'RUNYARD_PORT must be an integer from 0 to 65535 (got "80.5")',
    ],
    [
      'a limit of zero (off is unset)',
      { RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY: '0' },
      'RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY must be an integer from 1 to 1000000 (got "0")',
    ],
    [
      'a hexadecimal number',
      { RUNYARD_RETENTION_DAYS: '0x10' },
      'RUNYARD_RETENTION_DAYS must be an integer from 1 to 36500 (got "0x10")',
    ],
    [
      'a number in exponent notation',
      { RUNYARD_RETENTION_DAYS: '1e3' },
      'RUNYARD_RETENTION_DAYS must be an integer from 1 to 36500 (got "1e3")',
    ],
    [
      'a ratio in exponent notation',
      { OTEL_TRACES_SAMPLER_ARG: '1e-1' },
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "1e-1")',
    ],
    [
      'a pool of one connection',
      { RUNYARD_DB_POOL_SIZE: '1' },
      'RUNYARD_DB_POOL_SIZE must be an integer from 2 to 1000 (got "1")',
    ],
    [
      'a pool beyond the bound',
      { RUNYARD_DB_POOL_SIZE: '1e9' },
      'RUNYARD_DB_POOL_SIZE must be an integer from 2 to 1000 (got "1e9")',
    ],
    [
      'retention of no days',
      { RUNYARD_RETENTION_DAYS: '0' },
      'RUNYARD_RETENTION_DAYS must be an integer from 1 to 36500 (got "0")',
    ],
    [
      'a boolean',
      { RUNYARD_FETCH_ALLOW_PRIVATE: 'maybe' },
      'RUNYARD_FETCH_ALLOW_PRIVATE must be true or false (or 1, yes, on, 0, no, off) (got "maybe")',
    ],
    [
      'a choice',
      { RUNYARD_SANDBOX: 'docker' },
      'RUNYARD_SANDBOX must be one of auto, local, e2b, host, none (got "docker")',
    ],
    [
      'the OpenAI API',
      { OPENAI_API_KEY: 'sk', RUNYARD_OPENAI_API: 'assistants' },
      'RUNYARD_OPENAI_API must be one of responses, chat (got "assistants")',
    ],
    [
      'a URL',
      { OPENAI_COMPATIBLE_BASE_URL: 'vllm:8000/v1' },
      'OPENAI_COMPATIBLE_BASE_URL must be an http:// or https:// URL (got "vllm:8000/v1")',
    ],
    [
      'a database URL, its password left out',
      { DATABASE_URL: 'mysql://me:secret@db/x' },
      'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://me:***@db/x")',
    ],
    [
      'a list of paths',
      { RUNYARD_WORKSPACE_ROOTS: '/ok,relative' },
      'RUNYARD_WORKSPACE_ROOTS must be comma-separated absolute paths; not allowed: "relative" (got "/ok,relative")',
    ],
    [
      'a list of origins',
      { RUNYARD_CORS_ORIGINS: 'http://localhost:3000/' },
      'RUNYARD_CORS_ORIGINS must be comma-separated origins such as http://localhost:3000 (scheme, host and port only); not allowed: "http://localhost:3000/" (got "http://localhost:3000/")',
    ],
    [
      'a list of hosts',
      { RUNYARD_FETCH_ALLOW_HOSTS: 'a, http://b/' },
      'RUNYARD_FETCH_ALLOW_HOSTS must be comma-separated host or host:port entries; not allowed: "http://b/" (got "a, http://b/")',
    ],
    [
      'a list of durations',
      { RUNYARD_WEBHOOK_RETRY_DELAYS: '5s,5 minutes,8d' },
      'RUNYARD_WEBHOOK_RETRY_DELAYS must be comma-separated durations such as 5s,5m,2h (units ms, s, m, h, d; each from 100 ms to 7 days; at most 20); not allowed: "5 minutes", "8d" (got "5s,5 minutes,8d")',
    ],
    [
      'retries with no delay',
      { RUNYARD_WEBHOOK_RETRY_DELAYS: '0ms,1s' },
      'RUNYARD_WEBHOOK_RETRY_DELAYS must be comma-separated durations such as 5s,5m,2h (units ms, s, m, h, d; each from 100 ms to 7 days; at most 20); not allowed: "0ms" (got "0ms,1s")',
    ],
    [
      'more retries than allowed',
      { RUNYARD_WEBHOOK_RETRY_DELAYS: Array(21).fill('1s').join(',') },
      `RUNYARD_WEBHOOK_RETRY_DELAYS must be comma-separated durations such as 5s,5m,2h (units ms, s, m, h, d; each from 100 ms to 7 days; at most 20); 21 given (got "${Array(21).fill('1s').join(',')}")`,
    ],
    [
      'a wildcard host, which would match nothing',
      { RUNYARD_WEBHOOK_ALLOW_HOSTS: '*' },
      'RUNYARD_WEBHOOK_ALLOW_HOSTS must be comma-separated host or host:port entries; not allowed: "*" (got "*")',
    ],
    [
      'a host pattern',
      { RUNYARD_FETCH_ALLOW_HOSTS: 'ok.example:8080,*.example.com,[::1]:80' },
      'RUNYARD_FETCH_ALLOW_HOSTS must be comma-separated host or host:port entries; not allowed: "*.example.com" (got "ok.example:8080,*.example.com,[::1]:80")',
    ],
    [
      'a model without its provider',
      { RUNYARD_MODEL: 'openai/gpt-4.1' },
      'RUNYARD_MODEL: model "openai/gpt-4.1" needs OPENAI_API_KEY to be set',
    ],
    [
      'a malformed model id',
      { OPENAI_API_KEY: 'sk', RUNYARD_MODELS: 'openai/a,mistral/large' },
      'RUNYARD_MODELS: "mistral/large" is not a model id of the form provider/model with provider one of openai, openai-compatible, demo',
    ],
    [
      'an OTLP endpoint',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL (got "collector:4318")',
    ],
    [
      'an OTLP protocol Runyard does not send',
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json (got "grpc")',
    ],
    [
      'a sampler ratio',
      { OTEL_TRACES_SAMPLER_ARG: '2' },
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "2")',
    ],
    // headers carry credentials: the value is not shown
    [
      'OTLP headers',
      { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer s3cret,oops' },
      'OTEL_EXPORTER_OTLP_HEADERS must be comma-separated key=value pairs with percent-encoded values (entry 2 is not)',
    ],
  ])('%s: one line naming the variable, the value and what is allowed', (_kind, env, line) => {
    expect(problemsOf(env)).toEqual([line])
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${line}`)
  })

  it('reports every bad value, one line each, in the order of the table', () => {
    const problems = problemsOf({ RUNYARD_EPHEMERAL_KEY_TTL_MS: '5', RUNYARD_PORT: 'abc', RUNYARD_WORKERS: 'maybe' })
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'RUNYARD_PORT',
      'RUNYARD_WORKERS',
      'RUNYARD_EPHEMERAL_KEY_TTL_MS',
    ])
    let message = ''
    try {
      loadConfig({ RUNYARD_EPHEMERAL_KEY_TTL_MS: '5', RUNYARD_PORT: 'abc', RUNYARD_WORKERS: 'maybe' })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message.split('\n')).toEqual(['Invalid configuration:', ...problems.map((p) => `  ${p}`)])
    expect(message).not.toMatch(/\bat .+:\d+:\d+/) // no stack
  })
})

describe('unknown RUNYARD_* variables', () => {
  it.each([
    ['RUNYARD_SANDBOXX', 'RUNYARD_SANDBOX'],
    ['RUNYARD_WORKER_CONCURENCY', 'RUNYARD_WORKER_CONCURRENCY'],
    ['RUNYARD_SANDBOX_NET', 'RUNYARD_SANDBOX_NETWORK'],
    ['RUNYARD_MAXSTEPS', 'RUNYARD_MAX_STEPS'],
    ['RUNYARD_E2B_API_KEY', 'E2B_API_KEY'],
    ['RUNYARD_OPENAI_BASE_URL', 'OPENAI_BASE_URL'],
  ])('%s stops the start, naming %s', (unknown, nearest) => {
    expect(problemsOf({ [unknown]: 'x' })).toEqual([`${unknown} is not a Runyard setting — did you mean ${nearest}?`])
  })

  it('names no setting when none is close', () => {
    expect(problemsOf({ RUNYARD_XYZ: '1' })).toEqual([
      "RUNYARD_XYZ is not a Runyard setting — the README's Configuration table lists them",
    ])
  })

  it("accepts the variables of Runyard's other programs and of the test suite", () => {
    const others = [
      'RUNYARD_API_KEY',
      'RUNYARD_API_URL',
      'RUNYARD_LOCAL_PNPM',
      'RUNYARD_FORCE_INSTALL',
      'RUNYARD_FORCE_BUILD',
      'RUNYARD_VERBOSE',
      'RUNYARD_DEV_SERVER',
      'RUNYARD_TEST_KEY_FILE',
      'RUNYARD_FUZZ_SEED',
    ]
    expect(() => loadConfig(Object.fromEntries(others.map((n) => [n, '1'])))).not.toThrow()
  })

  it('leaves other names alone', () => {
    expect(() => loadConfig({ HOME: '/root', OPENAI_ORG_ID: 'org', E2B_DEBUG: '1' })).not.toThrow()
  })
})

describe('the environment', () => {
  it('is read only when no env is given', () => {
    const saved = { RUNYARD_PORT: process.env.RUNYARD_PORT, RUNYARD_SANDBOXX: process.env.RUNYARD_SANDBOXX }
    process.env.RUNYARD_PORT = '1234'
    process.env.RUNYARD_SANDBOXX = 'local'
    try {
      const config = loadConfig({}, '/srv')
      expect(config.server.port).toBe(7700)
      expect(config.sandbox.host?.path).toBeUndefined() // not this process's PATH
      expect(() => loadConfig()).toThrow(/RUNYARD_SANDBOXX is not a Runyard setting/)
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })
})

describe("the README's Configuration table", () => {
  it('lists exactly the variables of the schema, in its order', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
    )
    const names = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!))
    expect(names).toEqual(VARIABLE_NAMES)
  })
})

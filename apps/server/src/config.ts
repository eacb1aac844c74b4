// Server configuration: every environment variable, parsed and validated once at startup into
// typed sections (config/server-config.ts) before anything starts. Each mistake is one line
// naming the variable, its value and what is allowed; an unknown RUNYARD_* name is a mistake.
import { listAllowedModels, ModelConfigError } from '@runyard/agent-runtime/settings'
import { DEFAULT_WEBHOOK_CONFIG, type EngineConfig } from '@runyard/engine/config'
import { toServerConfig, type ServerConfig } from './config/server-config.ts'
import { unknownSettings } from './config/unknown-settings.ts'
import { VARIABLE_NAMES, Variables } from './config/variables.ts'

export { DEFAULT_CONSOLE_DIR, dbOptions, type ServerConfig } from './config/server-config.ts'

export class ConfigError extends Error {
  override readonly name = 'ConfigError'

  constructor(
    message: string,
    /** One line per mistake (empty for errors that are not about the environment). */
    readonly problems: readonly string[] = [],
  ) {
    super(message)
  }
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
): ServerConfig {
  // Empty (or blank) values count as unset, as in most .env conventions.
  const present: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value?.trim()) present[name] = value.trim()

  const problems: string[] = []
  const parsed = Variables.safeParse(present)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0])
      problems.push(
        `${name} ${issue.message}${CREDENTIAL_VALUES.test(name) ? '' : ` (got ${shown(present[name] ?? '')})`}`,
      )
    }
  }
  const config = parsed.success ? toServerConfig(parsed.data, cwd) : undefined
  if (config) {
    // The one cross-variable rule: an E2B sandbox cannot start without its key (the agent would
    // otherwise fall back silently, or every run would fail at its first tool call).
    if (config.sandbox.mode === 'e2b' && !config.sandbox.e2b?.apiKey)
      problems.push('RUNYARD_SANDBOX is e2b but E2B_API_KEY is not set: set it, or choose auto, local, host or none')
    try {
      listAllowedModels(config.models)
    } catch (err) {
      if (!(err instanceof ModelConfigError)) throw err
      problems.push(err.message)
    }
  }
  problems.push(...unknownSettings(Object.keys(present), VARIABLE_NAMES))

  if (!config || problems.length) {
    const message =
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`
    throw new ConfigError(message, problems)
  }
  return config
}

/** Variables whose values are never shown in an error: they hold credentials (OTLP headers, tokens, API keys). */
const CREDENTIAL_VALUES = /_HEADERS$|_TOKEN$|_API_KEY$|_SECRET$/

/** A value as shown in an error: quoted, with a URL's password left out. */
function shown(value: string): string {
  return JSON.stringify(value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/@]*@/i, '$1***@'))
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

/** Engine settings derived from the server configuration (API processes and workers alike). */
export function engineConfig(config: ServerConfig, apiUrl: string | undefined): Partial<EngineConfig> {
  const { engine, workers } = config
  // Heartbeats (and lost-worker checks) six times per lease: a run is taken over about one
  // lease after its worker stopped.
  const beat = Math.max(250, Math.floor(engine.runLeaseMs / 6))
  return {
    leaseMs: engine.runLeaseMs,
    heartbeatMs: beat,
    reapIntervalMs: beat,
    maxAttempts: engine.maxAttempts,
    maxRunMs: engine.maxRunMs,
    ephemeralKeyTtlMs: engine.ephemeralKeyTtlMs,
    concurrency: workers.concurrency,
    workerStatementConcurrency: workers.statementConcurrency,
    sessionIdleMs: engine.sessionIdleMs,
    limits: engine.limits,
    webhooks: { ...DEFAULT_WEBHOOK_CONFIG, ...config.webhooks },
    apiUrl,
  }
}

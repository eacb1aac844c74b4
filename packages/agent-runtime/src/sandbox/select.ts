// Picks the sandbox provider from configuration. auto = e2b if E2B_API_KEY is set, else local
// if bubblewrap works, else none. The unsafe host mode is only ever chosen explicitly.
import { E2BSandboxProvider, type E2BSandboxOptions } from './e2b.ts'
import { SandboxError } from './errors.ts'
import { HOST_SANDBOX_WARNING, HostSandboxProvider, type HostSandboxOptions } from './host.ts'
import { LocalSandboxProvider, type LocalSandboxOptions } from './local.ts'
import { NoneSandboxProvider } from './none.ts'
import type { SandboxProvider } from './types.ts'

export const SANDBOX_MODES = ['auto', 'local', 'e2b', 'host', 'none'] as const
export type SandboxMode = (typeof SANDBOX_MODES)[number]

export type SandboxEnv = Readonly<Record<string, string | undefined>>

export interface SandboxSelection {
  provider: SandboxProvider
  /** The configured mode (RUNYARD_SANDBOX), `auto` if unset. */
  mode: SandboxMode
  /** Human-readable explanation of the choice (for startup logs). */
  reason: string
  /** Set for the host provider: print it loudly at startup. */
  warning?: string
}

export interface SelectSandboxOptions {
  /** Where to read configuration from. Default `process.env`. */
  env?: SandboxEnv
  /** Overrides on top of what is read from the env. */
  local?: LocalSandboxOptions
  e2b?: E2BSandboxOptions
  host?: HostSandboxOptions
}

/** RUNYARD_SANDBOX, validated; unset or empty means `auto`. */
export function readSandboxMode(env: SandboxEnv = process.env): SandboxMode {
  const raw = (env.RUNYARD_SANDBOX ?? '').trim().toLowerCase()
  if (raw === '') return 'auto'
  if ((SANDBOX_MODES as readonly string[]).includes(raw)) return raw as SandboxMode
  throw new SandboxError(`RUNYARD_SANDBOX must be one of ${SANDBOX_MODES.join(', ')} (got "${env.RUNYARD_SANDBOX}")`)
}

function truthy(v: string | undefined): boolean {
  return ['1', 'true', 'yes', 'allow', 'on'].includes((v ?? '').trim().toLowerCase())
}

/** E2B settings from the env: E2B_API_KEY, E2B_API_URL, E2B_SANDBOX_URL, E2B_DOMAIN, RUNYARD_E2B_TEMPLATE, RUNYARD_E2B_TIMEOUT_MS. */
export function e2bOptionsFromEnv(env: SandboxEnv = process.env): E2BSandboxOptions {
  const timeout = Number(env.RUNYARD_E2B_TIMEOUT_MS)
  const opts: E2BSandboxOptions = {}
  if (env.E2B_API_KEY) opts.apiKey = env.E2B_API_KEY
  if (env.E2B_API_URL) opts.apiUrl = env.E2B_API_URL
  if (env.E2B_SANDBOX_URL) opts.sandboxUrl = env.E2B_SANDBOX_URL
  if (env.E2B_DOMAIN) opts.domain = env.E2B_DOMAIN
  if (env.RUNYARD_E2B_TEMPLATE) opts.template = env.RUNYARD_E2B_TEMPLATE
  if (Number.isFinite(timeout) && timeout > 0) opts.timeoutMs = timeout
  return opts
}

/** Local settings from the env: RUNYARD_SANDBOX_NETWORK=1 allows network in bubblewrap. */
export function localOptionsFromEnv(env: SandboxEnv = process.env): LocalSandboxOptions {
  return { allowNetwork: truthy(env.RUNYARD_SANDBOX_NETWORK) }
}

export async function selectSandboxProvider(opts: SelectSandboxOptions = {}): Promise<SandboxSelection> {
  const env = opts.env ?? process.env
  const mode = readSandboxMode(env)
  const e2bOpts = { ...e2bOptionsFromEnv(env), ...opts.e2b }
  const local = new LocalSandboxProvider({ ...localOptionsFromEnv(env), ...opts.local })
  const none = (reason: string): SandboxSelection => ({ provider: new NoneSandboxProvider(reason), mode, reason })

  switch (mode) {
    case 'none':
      return none('RUNYARD_SANDBOX=none')
    case 'host':
      return {
        provider: new HostSandboxProvider(opts.host),
        mode,
        reason: 'RUNYARD_SANDBOX=host (unsafe, explicitly configured)',
        warning: HOST_SANDBOX_WARNING,
      }
    case 'e2b':
      if (!e2bOpts.apiKey) return none('RUNYARD_SANDBOX=e2b but E2B_API_KEY is not set')
      return { provider: new E2BSandboxProvider(e2bOpts), mode, reason: 'RUNYARD_SANDBOX=e2b' }
    case 'local': {
      const a = await local.available()
      if (!a.ok) return none(`RUNYARD_SANDBOX=local but ${a.reason}`)
      return { provider: local, mode, reason: 'RUNYARD_SANDBOX=local (bubblewrap)' }
    }
    case 'auto': {
      if (e2bOpts.apiKey) return { provider: new E2BSandboxProvider(e2bOpts), mode, reason: 'E2B_API_KEY is set' }
      const a = await local.available()
      if (a.ok) return { provider: local, mode, reason: 'bubblewrap works on this machine' }
      return none(`E2B_API_KEY is not set and ${a.reason}`)
    }
  }
}

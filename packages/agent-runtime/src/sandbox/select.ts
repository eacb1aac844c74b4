// Decides, once, which sandbox providers can work here and which one new sessions get.
// auto = e2b if it has an API key, else local if bubblewrap works, else none. The unsafe host
// mode is only ever chosen explicitly.
import type { SandboxProviders } from '../agent/run-sandbox.ts'
import { E2BSandboxProvider, type E2BSandboxOptions } from './e2b.ts'
import { HOST_SANDBOX_WARNING, HostSandboxProvider, type HostSandboxOptions } from './host.ts'
import { LocalSandboxProvider, type LocalSandboxOptions } from './local.ts'
import { NoneSandboxProvider } from './none.ts'
import type { SandboxProvider } from './types.ts'

export const SANDBOX_MODES = ['auto', 'local', 'e2b', 'host', 'none'] as const
export type SandboxMode = (typeof SANDBOX_MODES)[number]

export interface SandboxOptions {
  /** Which provider new sessions get (the server's RUNYARD_SANDBOX). */
  mode: SandboxMode
  local?: LocalSandboxOptions
  /** E2B is offered only with an `apiKey`. */
  e2b?: E2BSandboxOptions
  /** Used only in `host` mode. */
  host?: HostSandboxOptions
}

export interface SandboxSelection {
  /** The provider new sessions get (`none` when the configured one cannot work). */
  provider: SandboxProvider
  mode: SandboxMode
  /** Human-readable explanation of the choice (for startup logs). */
  reason: string
  /** Set for the host provider: print it loudly at startup. */
  warning?: string
  /**
   * Every provider that can work here, whatever the default: local when bubblewrap works,
   * e2b with an API key, host in host mode.
   */
  providers: SandboxProviders
}

export async function selectSandboxProvider(options: SandboxOptions): Promise<SandboxSelection> {
  const { mode } = options
  const providers: SandboxProviders = {}
  // The one bubblewrap probe of this process's selection.
  const local = new LocalSandboxProvider(options.local)
  const localCheck = await local.available()
  if (localCheck.ok) providers.local = local
  if (options.e2b?.apiKey) providers.e2b = new E2BSandboxProvider(options.e2b)
  if (mode === 'host') providers.host = new HostSandboxProvider(options.host)

  const chosen = (provider: SandboxProvider, reason: string, warning?: string): SandboxSelection => ({
    provider,
    mode,
    reason,
    ...(warning ? { warning } : {}),
    providers,
  })
  const none = (reason: string) => chosen(new NoneSandboxProvider(reason), reason)
  const localProblem = localCheck.ok ? '' : localCheck.reason

  switch (mode) {
    case 'none':
      return none('RUNYARD_SANDBOX=none')
    case 'host':
      return chosen(providers.host!, 'RUNYARD_SANDBOX=host (unsafe, explicitly configured)', HOST_SANDBOX_WARNING)
    case 'e2b':
      return providers.e2b
        ? chosen(providers.e2b, 'RUNYARD_SANDBOX=e2b')
        : none('RUNYARD_SANDBOX=e2b but E2B_API_KEY is not set')
    case 'local':
      return providers.local
        ? chosen(providers.local, 'RUNYARD_SANDBOX=local (bubblewrap)')
        : none(`RUNYARD_SANDBOX=local but ${localProblem}`)
    case 'auto':
      if (providers.e2b) return chosen(providers.e2b, 'E2B_API_KEY is set')
      if (providers.local) return chosen(providers.local, 'bubblewrap works on this machine')
      return none(`E2B_API_KEY is not set and ${localProblem}`)
  }
}

// A provider whose `open` reports how long it took (metrics: sandbox start time), delegating
// everything else unchanged. `open` creates or resumes the sandbox: E2B's API round trips,
// bubblewrap's spawn and workspace setup.
import type { SandboxProvider, SandboxProviderKind } from './types.ts'

export interface SandboxOpenTiming {
  sandbox: SandboxProviderKind
  ms: number
  ok: boolean
}

export function withOpenTiming(
  provider: SandboxProvider,
  onOpened: (timing: SandboxOpenTiming) => void,
): SandboxProvider {
  const { hibernate, destroy } = provider
  return {
    kind: provider.kind,
    available: () => provider.available(),
    async open(options) {
      const start = performance.now()
      let ok = false
      try {
        const opened = await provider.open(options)
        ok = true
        return opened
      } finally {
        onOpened({ sandbox: provider.kind, ms: performance.now() - start, ok })
      }
    },
    // optional abilities stay optional: the hibernator offers only kinds that have `hibernate`
    ...(hibernate ? { hibernate: (state: unknown) => hibernate.call(provider, state) } : {}),
    ...(destroy ? { destroy: (state: unknown) => destroy.call(provider, state) } : {}),
  }
}

// The provider used when no sandbox can be used: it never falls back to running commands on
// the host; every operation throws an error that says what to configure.
import { SandboxUnavailableError } from './errors.ts'
import type { OpenedSandbox, SandboxAvailability, SandboxProvider } from './types.ts'

export function noSandboxMessage(reason: string): string {
  return (
    `No sandbox is available to run agent tools (${reason}). To fix this, either install ` +
    'bubblewrap (e.g. `apt-get install bubblewrap`) for local isolated sandboxes, or set E2B_API_KEY ' +
    'to use E2B cloud sandboxes, or explicitly opt into the UNSAFE host mode with RUNYARD_SANDBOX=host ' +
    '(commands then run directly on this machine without isolation).'
  )
}

export class NoneSandboxProvider implements SandboxProvider {
  readonly kind = 'none' as const
  readonly message: string

  constructor(readonly reason: string) {
    this.message = noSandboxMessage(reason)
  }

  async available(): Promise<SandboxAvailability> {
    return { ok: false, reason: this.message }
  }

  async open(): Promise<OpenedSandbox> {
    throw new SandboxUnavailableError(this.message)
  }

  async hibernate(): Promise<void> {
    throw new SandboxUnavailableError(this.message)
  }

  async destroy(): Promise<void> {
    throw new SandboxUnavailableError(this.message)
  }
}

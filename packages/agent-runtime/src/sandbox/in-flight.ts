// The commands one sandbox object has started, so that close() can stop them: each runs under
// a controller of ours, chained to the caller's signal.
import { SandboxError } from './errors.ts'

export class InFlightCommands {
  private readonly running = new Map<AbortController, Promise<unknown>>()
  private closed = false

  assertOpen(): void {
    if (this.closed) throw new SandboxError('This sandbox has been closed')
  }

  async run<T>(callerSignal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    const forward = (): void => controller.abort()
    if (callerSignal?.aborted) controller.abort()
    callerSignal?.addEventListener('abort', forward, { once: true })
    const run = start(controller.signal)
    this.running.set(controller, run)
    try {
      return await run
    } finally {
      this.running.delete(controller)
      callerSignal?.removeEventListener('abort', forward)
    }
  }

  /** Refuses new commands, aborts the running ones and waits for them to settle. */
  async close(): Promise<void> {
    this.closed = true
    for (const c of this.running.keys()) c.abort()
    await Promise.allSettled(this.running.values())
  }
}

// Polling for tests that drive a server in another process (or one still starting): a probe that
// throws, such as a fetch before the server listens, counts as "not yet", like one that returns
// undefined.

/**
 * Polls `probe` until it returns a value. On timeout, fails with `failure`: what was awaited, or a
 * function giving it (for example a process's output so far, read only then).
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  failure: string | (() => string),
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline)
      throw new Error(
        typeof failure === 'string' ? `timed out waiting for ${failure}` : `gave up waiting:\n${failure()}`,
      )
    await new Promise((r) => setTimeout(r, 100))
  }
}

// A start-up that cannot go on for a reason the operator fixes (a port in use, no API key on a
// public address): the CLI prints its message as one line and exits 2. Its own module so that
// the CLI can recognise it without loading the server (runtime.ts) first.
export class StartupError extends Error {
  override readonly name = 'StartupError'
}

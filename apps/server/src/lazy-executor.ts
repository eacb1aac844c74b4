// A RunExecutor whose modules load when first needed: the agent's executor (the AI SDK, the
// provider SDKs, the tools) is not on `runyard start`'s path to listening (issue #21). The server
// starts loading it once it listens (`load()`, in the background); a run that starts before then
// waits for it instead of failing. A load that fails is tried again by the next run.
import type { RunExecutor } from '@runyard/contract'

export interface LazyExecutor extends RunExecutor {
  /** Loads the executor now (once; again after a failed load). */
  load(): Promise<RunExecutor>
}

export function lazyExecutor(load: () => Promise<RunExecutor>): LazyExecutor {
  let loading: Promise<RunExecutor> | undefined
  const loaded = () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined
      throw err
    }))
  return {
    load: loaded,
    execute: async (ctx) => (await loaded()).execute(ctx),
  }
}

// Runs' statements of one kind that arrive together (in the same event-loop turn, or while the
// previous batch is in flight) are sent as one statement: the claims of the runs one fetch
// returned, the finishes of runs that end close together. Each statement a run sends costs far
// more than its SQL (a round trip waking an idle backend, a commit waiting for its WAL flush:
// docs/benchmarks.md), so at 200 runs/s N runs in one statement cost much less than N statements.
//
// Every item still gets its own result. A batch of one takes the single statement (`one`), as
// before batching existed; a batched statement that fails (one run's part broke it: a constraint,
// a trigger) is retried as single statements, so one run's failure never fails the others.

export interface TurnBatcherOptions<I, O> {
  /** The batched statement: one result per item, in the items' order. */
  many(items: I[]): Promise<O[]>
  /** The single statement, for a batch of one and for each item of a batch that failed. */
  one(item: I): Promise<O>
  /** Most items per statement. */
  max: number
  /** Told when a batched statement failed and its items are retried one by one. */
  onBatchError?(err: unknown, size: number): void
}

interface Pending<I, O> {
  item: I
  resolve(value: O): void
  reject(err: unknown): void
}

export class TurnBatcher<I, O> {
  private queue: Pending<I, O>[] = []
  private draining: Promise<void> | undefined

  constructor(private readonly opts: TurnBatcherOptions<I, O>) {}

  /** Resolves with the item's own result (or rejects with its own single statement's error). */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.draining ??= this.drain()
    })
  }

  private async drain(): Promise<void> {
    // The rest of this turn's items join (a fetch begins all its runs synchronously).
    await new Promise((r) => setImmediate(r))
    try {
      while (this.queue.length) await this.send(this.queue.splice(0, this.opts.max))
    } finally {
      this.draining = undefined
    }
  }

  private async send(batch: Pending<I, O>[]): Promise<void> {
    if (batch.length > 1) {
      let results: O[] | undefined
      try {
        results = await this.opts.many(batch.map((p) => p.item))
        if (results.length !== batch.length)
          throw new Error(`a batched statement returned ${results.length} results for ${batch.length} items`)
      } catch (err) {
        results = undefined
        this.opts.onBatchError?.(err, batch.length)
      }
      if (results) {
        const settled = results
        batch.forEach((p, i) => p.resolve(settled[i]!))
        return
      }
    }
    // One at a time, but not waiting on each other: each item fails or succeeds on its own.
    await Promise.all(batch.map((p) => this.opts.one(p.item).then(p.resolve, p.reject)))
  }
}

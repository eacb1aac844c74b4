// A stored log for the projection tests: events numbered from seq 1, a second apart.
import type { RunEvent, StoredRunEvent } from '@runyard/contract'

export const storedLog = (runId: string, events: RunEvent[]): StoredRunEvent[] =>
  events.map((event, i) => ({
    runId,
    seq: i + 1,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    event,
  }))

export async function* replay<T>(items: T[]): AsyncGenerator<T> {
  yield* items
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

export const usage = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read: 0,
  cache_write: 0,
})

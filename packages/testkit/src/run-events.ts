import type { StoredRunEvent } from '@runyard/contract'

/** Reads a run's event stream into an array: to its end, or up to and including the first event `until` accepts. */
export async function collectRunEvents(
  stream: AsyncIterable<StoredRunEvent>,
  until?: (e: StoredRunEvent) => boolean,
): Promise<StoredRunEvent[]> {
  const out: StoredRunEvent[] = []
  for await (const e of stream) {
    out.push(e)
    if (until?.(e)) break
  }
  return out
}

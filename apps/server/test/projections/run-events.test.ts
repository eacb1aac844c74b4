// A run's own event log as SSE: the stored JSON forwarded as is under its seq, page by page, after
// the client's last event.
import type { RunEventFrame } from '@runyard/engine'
import { describe, expect, it } from 'vitest'
import { runEventLogPages } from '../../src/projections/run-events.ts'
import { collect, replay } from './stored-log.ts'

const frame = (seq: number): RunEventFrame => ({ seq, type: 'text_delta', json: `{"runId":"run_x","seq":${seq}}` })
const pages = [[frame(1), frame(2), frame(3)], [frame(4)], [frame(5), frame(6)]]

/** A log reader over `pages` that records where it was asked to start. */
function reader() {
  const asked: number[] = []
  const read = (afterSeq: number) => {
    asked.push(afterSeq)
    return replay(pages.map((page) => page.filter((f) => f.seq > afterSeq)).filter((page) => page.length))
  }
  return { read, asked }
}

describe('runEventLogPages', () => {
  it('forwards each page of stored JSON as frames with the seq as id', async () => {
    const { read, asked } = reader()
    expect(await collect(runEventLogPages(read, 0))).toEqual(
      pages.map((page) => page.map((f) => ({ id: f.seq, data: f.json }))),
    )
    expect(asked).toEqual([0])
  })

  it("reads from the client's last event, so the first page comes at once, and does not send it again", async () => {
    const { read, asked } = reader()
    const sent = await collect(runEventLogPages(read, 4))
    expect(asked).toEqual([3])
    expect(sent).toEqual([
      [],
      [
        { id: 5, data: frame(5).json },
        { id: 6, data: frame(6).json },
      ],
    ])
  })

  it('sends nothing to a client that has the whole log', async () => {
    const { read } = reader()
    expect((await collect(runEventLogPages(read, 6))).flat()).toEqual([])
  })
})

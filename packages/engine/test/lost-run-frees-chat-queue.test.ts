// Found in review: when the reaper failed (worker_lost) or cancelled a run whose worker died, the
// run waiting behind it on the chat was promoted with its queue job, but could not start: the dead
// worker's job was still active and held the chat's singleton slot (queue.ts) until pg-boss's own
// heartbeat check (at least 10 s) failed it. The reaper now cancels that job once the run is
// finished, as it already frees the slot of a run it hands to another attempt.
import { collectRunEvents } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FAST, harness, spawnWorker, type Harness } from './support/harness.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

it('a run waiting behind a run whose worker was lost (no attempt left) starts as soon as that run is failed', async () => {
  const config = { maxAttempts: 1 }
  const api = await h.engine({ executor: null, config })
  const child = await spawnWorker(h.db.url, { ...FAST, ...config })
  const { run, accountId, chatId } = await h.seededRun(api, [{ text: 'x' }, { hang: true }])
  const waiting = await h.runScript(api, { accountId, chatId }, [{ text: 'next' }], { ifBusy: 'enqueue' })
  await collectRunEvents(api.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
  child.kill('SIGKILL')
  const reaper = await h.engine({ config })
  await collectRunEvents(reaper.streamRunEvents(accountId, run.id))
  const failedAt = Date.now()
  expect(await reaper.getRun(accountId, run.id)).toMatchObject({ status: 'failed', error: { code: 'worker_lost' } })
  await collectRunEvents(reaper.streamRunEvents(accountId, waiting.id))
  expect(await reaper.getRun(accountId, waiting.id)).toMatchObject({ status: 'completed' })
  // pg-boss's heartbeat check of the dead worker's job comes 10 s after its last heartbeat at the earliest.
  expect(Date.now() - failedAt).toBeLessThan(4000)
})

// An account's run-change listeners (the console's run lists, tRPC `runs.changes`) hear only what
// is notified while the process's LISTEN connection is up. When it comes back, they are given the
// runs that may have changed while it was down (run-changes.ts): before, a list stayed stale until
// something else changed it.
import { seedAccount } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { harness, newChatRun, type Harness } from './support/harness.ts'
import { until } from './support/until.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

it("after the notification connection was lost, an account's change listeners hear of its runs that changed meanwhile", async () => {
  const engine = await h.engine({ executor: null })
  const accountId = await seedAccount(h.db.prisma)
  const otherAccount = await seedAccount(h.db.prisma)
  const admit = (account: string) => engine.startRun(newChatRun(account))
  // Changed before anyone listened, as a change another process notified during an outage would be.
  const missed = await admit(accountId)
  await admit(otherAccount)

  const heard: { runId: string; status: string }[] = []
  const off = engine.onRunChange(accountId, (c) => heard.push({ runId: c.runId, status: c.status }))
  try {
    const { rows } = await h.db.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'runyard-listen'`,
    )
    expect(rows).toHaveLength(1)
    await h.db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid])
    await until(
      () => heard,
      (h) => h.length > 0,
      'the listener to hear of the run that changed while nobody listened',
    )
    expect(heard).toEqual([{ runId: missed.id, status: 'queued' }])
  } finally {
    off()
  }
})

// The notification connection (notifier.ts) is also the one notifications are sent on: while it
// is down, what this process sends waits and goes out once it is back. Before, it was dropped, so
// another process's reader of the run heard nothing (its own connection never dropped, so no
// reconnect woke it) and stalled until its polling backstop. And what this process missed while
// it was down wakes its subscribers once it is back: the fetch loop fetches at once.
import { createTestDb, type TestDb } from '@runyard/testkit'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startFetchLoop } from '../src/fetch-loops.ts'
import { Notifier } from '../src/notifier.ts'
import { until } from './support/until.ts'

let db: TestDb
const notifiers: Notifier[] = []
beforeAll(async () => {
  db = await createTestDb()
})
afterAll(async () => {
  for (const n of notifiers) await n.close()
  await db.drop()
})

const listenPids = async () =>
  (
    await db.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'runyard-listen'`,
    )
  ).rows.map((r) => r.pid)

it("what a process sends while its notification connection is down reaches another process's listeners once it is back", async () => {
  let whenLost = () => {}
  const sender = new Notifier(db.url, (message) => {
    if (message.startsWith('notification connection lost')) whenLost()
  })
  notifiers.push(sender)
  await sender.start()
  const [senderPid] = await listenPids()

  const receiver = new Notifier(db.url)
  notifiers.push(receiver)
  await receiver.start()
  const heard: (number | undefined)[] = []
  receiver.onEvents('run_1', (lastSeq) => heard.push(lastSeq))

  const reconnected = new Promise<void>((resolve) => sender.onReconnect(() => resolve()))
  // Sent the moment the sender knows its connection is gone: during the outage, for certain.
  whenLost = () => sender.sendEvents('run_1', 5)
  await db.pool.query('SELECT pg_terminate_backend($1)', [senderPid])
  await reconnected

  await until(
    () => heard,
    (h) => h.length > 0,
    'the receiver to hear the notification sent during the outage',
  )
  expect(heard).toEqual([5])
  expect(await listenPids()).not.toContain(senderPid)
})

it('the fetch loop fetches again as soon as the notification connection is back (a queued run may have been missed)', async () => {
  const others = await listenPids()
  const notifier = new Notifier(db.url)
  notifiers.push(notifier)
  await notifier.start()
  const [listenPid] = (await listenPids()).filter((pid) => !others.includes(pid))
  let fetches = 0
  // pg-boss as the loop uses it, with an empty queue (test double: only what the loop calls).
  const boss = {
    fetch: () => {
      fetches++
      return Promise.resolve([])
    },
  } as unknown as PgBoss
  const silent = { info() {}, warn() {}, error() {} }
  // A poll that never comes within the test: only a wake-up can make it fetch again.
  const loop = startFetchLoop(
    boss,
    notifier,
    { concurrency: 2, pollingIntervalMs: 3_600_000, heartbeatRefreshMs: 3_600_000 },
    silent,
    () => Promise.resolve(),
  )
  try {
    await until(
      () => fetches,
      (n) => n === 1,
      'the first fetch',
    )
    const reconnected = new Promise<void>((resolve) => notifier.onReconnect(() => resolve()))
    await db.pool.query('SELECT pg_terminate_backend($1)', [listenPid])
    await reconnected
    await until(
      () => fetches,
      (n) => n === 2,
      'a fetch after the reconnect',
    )
  } finally {
    await loop.stop()
    await loop.drained()
  }
})

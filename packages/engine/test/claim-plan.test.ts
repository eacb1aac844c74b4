// The batched claim (claims.ts) finds its runs, their chats and their transcripts by key, however
// many other runs are queued: with the fence's status tests on the updated table, PostgreSQL
// scanned every queued and running run and joined them with the batch, and the transcript's chat
// update scanned every chat, so each claim cost more the larger the backlog it was draining
// (docs/benchmarks.md, "fourth pass"). Checked on the plan PostgreSQL executes (EXPLAIN ANALYZE,
// rolled back), not on timing.
import { seedChat } from '@runyard/testkit'
import { newApiKeySecret } from '@runyard/db'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { claimBatcher } from '../src/claims.ts'
import type { Engine } from '../src/index.ts'
import type { DbPool } from '../src/types.ts'
import { harness, type Harness } from './support/harness.ts'

let h: Harness
let api: Engine
beforeEach(async () => {
  h = await harness()
  api = await h.engine({ executor: null })
})
afterEach(async () => {
  await h.close()
})

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Actual Rows': number
  'Actual Loops': number
  'Rows Removed by Filter'?: number
  'Rows Removed by Join Filter'?: number
  Plans?: PlanNode[]
}

/** Every node of a plan, depth first. */
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)]

/** A pool whose statements are explained (EXPLAIN ANALYZE, JSON) and rolled back; the plans are kept. */
function explainingPool(pool: DbPool): { pool: DbPool; plans: PlanNode[] } {
  const plans: PlanNode[] = []
  const query = (async (config: { text: string; values: unknown[] }) => {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
        text: `EXPLAIN (ANALYZE, FORMAT JSON) ${config.text}`,
        values: config.values,
      })
      plans.push(rows[0]!['QUERY PLAN'][0].Plan)
      return { rows: [] }
    } finally {
      await client.query('ROLLBACK')
      client.release()
    }
  }) as unknown as DbPool['query']
  return { pool: { query, connect: () => pool.connect() }, plans }
}

it('claims a batch by key: what it reads of the runs and chats is bounded by the batch, not by the 120 other runs queued or the chats of the past', async () => {
  const admitted: string[] = []
  for (let i = 0; i < 124; i++) {
    const chat = await seedChat(h.db.prisma)
    admitted.push((await h.runScript(api, chat, [{ text: 'hi' }])).id)
  }
  // Chats of past runs (a server's history: chats outnumber the runs in flight).
  const { accountId, sessionId } = await h.db.prisma.chat.findFirstOrThrow({
    select: { accountId: true, sessionId: true },
  })
  await h.db.pool.query(
    `INSERT INTO "Chat" (id, "sessionId", "accountId", "updatedAt") SELECT 'chat_past_' || n, $1, $2, now() FROM generate_series(1, 3000) n`,
    [sessionId, accountId],
  )
  // Statistics as a busy server has them (autovacuum analyzes tables as they grow).
  await h.db.pool.query('ANALYZE "Run", "Chat", "Message"')
  const { pool, plans } = explainingPool(h.db.pool)
  const claims = claimBatcher(pool, { workerId: 'w', leaseMs: 60_000, ephemeralKeyTtlMs: 60_000 }, () => {})
  const batch = admitted.slice(-4)
  await Promise.all(batch.map((runId) => claims.add({ runId, jobId: `job-${runId}`, key: newApiKeySecret('run') })))

  expect(plans).toHaveLength(1) // one statement for the batch
  const all = nodes(plans[0]!)
  // Rows each node on the table produced, and those it read and dropped (a scan's filter), over all
  // its loops: bounded by the batch (an index probe per run, at most a probe of the batch's keys per
  // run of it: the batch squared), not by the 120 runs and 3,120 chats that are not in it.
  const read = (relation: string) =>
    all
      .filter((n) => n['Relation Name'] === relation && n['Node Type'] !== 'ModifyTable')
      .map((n) => `${n['Node Type']}: ${(n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops']}`)
  for (const relation of ['Run', 'Chat']) {
    const scans = read(relation)
    expect(scans.length, relation).toBeGreaterThan(0)
    for (const scan of scans)
      expect(Number(scan.split(': ')[1]), `${relation}: ${scans.join(', ')}`).toBeLessThanOrEqual(batch.length ** 2)
  }
})

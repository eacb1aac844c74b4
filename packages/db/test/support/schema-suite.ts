// The schema, constraint and migration tests, defined once and run against each server the db
// suite covers: the embedded test server (`baseUrl()` undefined: databases cloned from the
// migrated template) and an external PostgreSQL (`baseUrl()` its URL: databases created there
// and migrated with `runMigrations`). Every test file gets its own database.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '@runyard/contract'
import { createDb, createPgPool, Prisma, runMigrations } from '../../src/index.ts'
import { MIGRATIONS_DIR } from '../../src/migrate.ts'
import { seedAccount, seedChat } from '../../../testkit/src/fixtures.ts'
import { createTestDb, type TestDb } from '../../../testkit/src/test-db.ts'

const TABLES = [
  'Account',
  'ApiKey',
  'Chat',
  'Message',
  'Run',
  'RunEventBatch',
  'RunRateWindow',
  'Session',
  'WebhookDelivery',
  'WebhookEndpoint',
  'Workspace',
  '_prisma_migrations',
]
const VIEWS = ['RunEvent']

function migrationDirs(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
}

export function schemaSuite(baseUrl: () => string | undefined) {
  let db: TestDb
  let sql: pg.Pool

  beforeAll(async () => {
    db = await createTestDb({ baseUrl: baseUrl() })
    sql = createPgPool(db.url, { max: 4 })
  })
  afterAll(async () => {
    await sql?.end()
    await db?.drop()
  })

  /** A run row for `chat`; `lockedChatId` is what admission sets while the run holds the chat. */
  async function insertRun(
    chat: { accountId: string; sessionId: string; chatId: string },
    run: { status?: string; lockedChatId?: string | null } = {},
  ) {
    const id = newId('run')
    await sql.query(
      `INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, status, "lockedChatId", model, input)
       VALUES ($1, $2, $3, $4, 'interactive', $5, $6, 'scripted', '{}')`,
      [id, chat.accountId, chat.chatId, chat.sessionId, run.status ?? 'queued', run.lockedChatId ?? null],
    )
    return id
  }

  describe('migrations', () => {
    it('runMigrations applies every migration once, reports their names, and a second call applies nothing', async () => {
      const empty = await createTestDb({ baseUrl: baseUrl(), empty: true })
      try {
        const expected = migrationDirs()
        expect(expected.length).toBeGreaterThan(0)
        expect(await runMigrations(empty.url)).toEqual(expected)
        expect(await runMigrations(empty.url)).toEqual([])

        // Same bookkeeping as `prisma migrate deploy`: one finished row per migration, with the
        // sha256 of its SQL as checksum.
        const rows = await empty.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
          'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
        )
        expect(rows).toEqual(
          expected.map((name) => ({
            migration_name: name,
            checksum: crypto
              .createHash('sha256')
              .update(fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql')))
              .digest('hex'),
          })),
        )
        const tables = await empty.prisma.$queryRawUnsafe<{ table_name: string; table_type: string }[]>(
          `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
        )
        expect(tables.filter((t) => t.table_type === 'BASE TABLE').map((t) => t.table_name)).toEqual(TABLES)
        expect(tables.filter((t) => t.table_type === 'VIEW').map((t) => t.table_name)).toEqual(VIEWS)
      } finally {
        await empty.drop()
      }
    })

    it('on an up-to-date database runMigrations is one query: it neither waits for the migration lock nor runs the schema engine', async () => {
      // Another process holding the lock (as while it migrates) does not hold up a start that has nothing to apply.
      const holder = new pg.Client({ connectionString: db.url })
      await holder.connect()
      try {
        await holder.query('SELECT pg_advisory_lock(7370001)')
        const applied = await Promise.race([
          runMigrations(db.url),
          new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 20_000)),
        ])
        expect(applied).toEqual([])
      } finally {
        await holder.end()
      }
    })

    it('run_event_batches moves an existing per-event log into batches, unchanged as the RunEvent view shows it', async () => {
      const empty = await createTestDb({ baseUrl: baseUrl(), empty: true })
      const old = createPgPool(empty.url, { max: 1 })
      try {
        const dirs = migrationDirs()
        const batches = dirs.findIndex((d) => d.endsWith('_run_event_batches'))
        const apply = async (name: string) =>
          old.query(fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'))
        for (const name of dirs.slice(0, batches)) await apply(name)
        const chat = await seedChat(empty.prisma)
        const run = newId('run')
        await old.query(
          `INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, status, model, input) VALUES ($1, $2, $3, $4, 'interactive', 'completed', 'scripted', '{}')`,
          [run, chat.accountId, chat.chatId, chat.sessionId],
        )
        // json keeps the text as written, newlines between tokens included.
        const data = [
          '{"type":"run_status","status":"queued"}',
          '{\n  "type": "text",\n  "text": "a\\nb"\n}',
          '{"type":"done"}',
        ]
        await old.query(
          `INSERT INTO "RunEvent" ("runId", seq, type, data) SELECT $1, n, (($2::json[])[n])->>'type', ($2::json[])[n] FROM generate_series(1, 3) n`,
          [run, data],
        )
        for (const name of dirs.slice(batches)) await apply(name)
        const { rows } = await old.query(`SELECT seq, type, data FROM "RunEvent" WHERE "runId" = $1 ORDER BY seq`, [
          run,
        ])
        expect(rows).toEqual(
          data.map((d, i) => ({ seq: i + 1, type: (JSON.parse(d) as { type: string }).type, data: JSON.parse(d) })),
        )
        // A new batch continues the migrated chain.
        await old.query(
          `INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES ($1, 4, 4, 'done', '{"type":"done"}')`,
          [run],
        )
      } finally {
        await old.end()
        await empty.drop()
      }
    })

    it('two concurrent runMigrations on one database apply each migration exactly once', async () => {
      const empty = await createTestDb({ baseUrl: baseUrl(), empty: true })
      try {
        const results = await Promise.all([runMigrations(empty.url), runMigrations(empty.url)])
        expect(results.flat().sort()).toEqual(migrationDirs())
        const rows = await empty.prisma.$queryRawUnsafe<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM _prisma_migrations',
        )
        expect(rows).toEqual([{ n: migrationDirs().length }])
      } finally {
        await empty.drop()
      }
    })

    it('the per-file database is fully migrated and createDb finds it up to date', async () => {
      const messages: string[] = []
      const again = await createDb({ databaseUrl: db.url, onProgress: (m) => messages.push(m), poolSize: 1 })
      await again.close()
      expect(again.mode).toBe('external')
      expect(messages).toContain('Database schema is up to date')
    })
  })

  describe('RunEventBatch', () => {
    /** One batch row of `events` from `seq` on, as the engine writes it. */
    const insertBatch = (
      runId: string,
      seq: number,
      events: { type: string }[],
      lines = events.map((e) => JSON.stringify(e)),
    ) =>
      sql.query(`INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES ($1, $2, $3, $4, $5)`, [
        runId,
        seq,
        seq + events.length - 1,
        events.map((e) => e.type).join('\n'),
        lines.join('\n'),
      ])
    const text = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'text', text: `t${i}` }))

    it('rejects a batch that repeats a seq, per run', async () => {
      const chat = await seedChat(db.prisma)
      const runA = await insertRun(chat)
      const runB = await insertRun(chat)
      await insertBatch(runA, 1, text(3))
      await expect(insertBatch(runA, 1, text(1))).rejects.toMatchObject({
        code: '23505',
        constraint: 'RunEventBatch_pkey',
      })
      // Overlapping the end of a batch: the chain (see below) has no batch ending at 2.
      await expect(insertBatch(runA, 3, text(2))).rejects.toMatchObject({
        code: '23000',
        constraint: 'RunEventBatch_chain',
      })
      // Through Prisma a repeated seq surfaces as P2002.
      const viaPrisma = await db.prisma.runEventBatch
        .create({ data: { runId: runA, seq: 1, lastSeq: 1, types: 'text', events: '{"type":"text"}' } })
        .catch((e: unknown) => e)
      expect(viaPrisma).toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
      expect((viaPrisma as Prisma.PrismaClientKnownRequestError).code).toBe('P2002')
      // The sequence is per run: another run starts at 1 too.
      await insertBatch(runB, 1, text(2))
      expect(await db.prisma.runEventBatch.count({ where: { runId: { in: [runA, runB] } } })).toBe(2)
    })

    it('rejects a gap: a batch starts at 1 or right after the last stored seq', async () => {
      const run = await insertRun(await seedChat(db.prisma))
      await expect(insertBatch(run, 2, text(1))).rejects.toMatchObject({
        code: '23000',
        constraint: 'RunEventBatch_chain',
      })
      await insertBatch(run, 1, text(3))
      await expect(insertBatch(run, 5, text(1))).rejects.toMatchObject({
        code: '23000',
        constraint: 'RunEventBatch_chain',
      })
      await insertBatch(run, 4, text(2))
      // Several batches in one statement are checked together: 6 follows 5, 8 follows nothing.
      await expect(
        sql.query(
          `INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES ($1, 6, 6, 'text', '{}'), ($1, 8, 8, 'text', '{}')`,
          [run],
        ),
      ).rejects.toMatchObject({ code: '23000', constraint: 'RunEventBatch_chain' })
      const { rows } = await sql.query<{ seq: number }>(`SELECT seq FROM "RunEvent" WHERE "runId" = $1 ORDER BY seq`, [
        run,
      ])
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
    })

    it('holds 1 to 5000 events, with their types', async () => {
      const run = await insertRun(await seedChat(db.prisma))
      const shape = { code: '23514', constraint: 'RunEventBatch_shape_check' }
      await expect(insertBatch(run, 0, text(1))).rejects.toMatchObject(shape)
      await expect(insertBatch(run, 1, text(5001))).rejects.toMatchObject(shape)
      await expect(
        sql.query(`INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", events) VALUES ($1, 1, 1, '{}')`, [run]),
      ).rejects.toMatchObject({ code: '23502' })
      await insertBatch(run, 1, text(5000))
      expect((await sql.query(`SELECT 1 FROM "RunEvent" WHERE "runId" = $1`, [run])).rowCount).toBe(5000)
    })

    it("the RunEvent view shows one row per event: its seq, type, JSON data and its batch's time", async () => {
      const run = await insertRun(await seedChat(db.prisma))
      await insertBatch(run, 1, [{ type: 'run_status', status: 'queued' } as { type: string }])
      await insertBatch(run, 2, [{ type: 'text', text: 'a\nb "c"' }, { type: 'done' }] as { type: string }[])
      const { rows } = await sql.query(
        `SELECT seq, type, data, "createdAt" FROM "RunEvent" WHERE "runId" = $1 ORDER BY seq`,
        [run],
      )
      expect(rows.map(({ createdAt: _, ...r }) => r)).toEqual([
        { seq: 1, type: 'run_status', data: { type: 'run_status', status: 'queued' } },
        { seq: 2, type: 'text', data: { type: 'text', text: 'a\nb "c"' } },
        { seq: 3, type: 'done', data: { type: 'done' } },
      ])
      expect(rows.every((r) => r.createdAt instanceof Date)).toBe(true)
    })

    it('needs an existing run', async () => {
      await expect(insertBatch('run_missing', 1, text(1))).rejects.toMatchObject({
        code: '23503',
        constraint: 'RunEventBatch_runId_fkey',
      })
      // One missing run rejects the whole statement.
      const run = await insertRun(await seedChat(db.prisma))
      await expect(
        sql.query(
          `INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES ($1, 1, 1, 'text', '{}'), ('run_missing', 1, 1, 'text', '{}')`,
          [run],
        ),
      ).rejects.toMatchObject({ code: '23503', constraint: 'RunEventBatch_runId_fkey' })
      expect((await sql.query(`SELECT 1 FROM "RunEventBatch" WHERE "runId" = $1`, [run])).rowCount).toBe(0)
    })

    it('deleting a run deletes its events, and only its', async () => {
      const chat = await seedChat(db.prisma)
      const [gone, kept] = [await insertRun(chat), await insertRun(chat)]
      for (const run of [gone, kept]) {
        await insertBatch(run, 1, text(2))
        await insertBatch(run, 3, text(1))
      }
      await sql.query(`DELETE FROM "Run" WHERE id = $1`, [gone])
      const { rows } = await sql.query<{ runId: string; n: number }>(
        `SELECT "runId", count(*)::int AS n FROM "RunEvent" WHERE "runId" IN ($1, $2) GROUP BY 1`,
        [gone, kept],
      )
      expect(rows).toEqual([{ runId: kept, n: 3 }])
    })
  })

  describe('one active run per chat (Run.lockedChatId is unique)', () => {
    it('rejects a second run holding the same chat; runs waiting behind it (NULL) are allowed', async () => {
      const chat = await seedChat(db.prisma)
      await insertRun(chat, { status: 'running', lockedChatId: chat.chatId })
      await expect(insertRun(chat, { status: 'queued', lockedChatId: chat.chatId })).rejects.toMatchObject({
        code: '23505',
        constraint: 'Run_lockedChatId_key',
      })
      await insertRun(chat, { status: 'queued', lockedChatId: null })
      await insertRun(chat, { status: 'queued', lockedChatId: null })
      expect(await db.prisma.run.count({ where: { chatId: chat.chatId } })).toBe(3)
    })

    it('serves as the ON CONFLICT arbiter admission relies on', async () => {
      const chat = await seedChat(db.prisma)
      const holder = await insertRun(chat, { status: 'running', lockedChatId: chat.chatId })
      const insert = (id: string) =>
        sql.query(
          `INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, "lockedChatId", model, input)
           VALUES ($1, $2, $3, $4, 'interactive', $3, 'scripted', '{}') ON CONFLICT ("lockedChatId") DO NOTHING RETURNING id`,
          [id, chat.accountId, chat.chatId, chat.sessionId],
        )
      expect((await insert(newId('run'))).rowCount).toBe(0)

      // Releasing the chat (terminal status, lock cleared) lets the next run take it.
      await sql.query(`UPDATE "Run" SET status = 'completed', "lockedChatId" = NULL WHERE id = $1`, [holder])
      const next = newId('run')
      expect((await insert(next)).rows).toEqual([{ id: next }])
    })

    it('lets only a queued or running run hold a lock, and only on its own chat', async () => {
      const chat = await seedChat(db.prisma)
      const other = await seedChat(db.prisma, chat.accountId)
      for (const status of ['completed', 'failed', 'cancelled']) {
        await expect(insertRun(chat, { status, lockedChatId: chat.chatId })).rejects.toMatchObject({
          code: '23514',
          constraint: 'Run_lockedChatId_check',
        })
      }
      await expect(insertRun(chat, { status: 'queued', lockedChatId: other.chatId })).rejects.toMatchObject({
        code: '23514',
        constraint: 'Run_lockedChatId_check',
      })
      // a holder that finishes must release the lock in the same statement
      const holder = await insertRun(chat, { status: 'running', lockedChatId: chat.chatId })
      await expect(sql.query(`UPDATE "Run" SET status = 'completed' WHERE id = $1`, [holder])).rejects.toMatchObject({
        code: '23514',
      })
      await sql.query(`UPDATE "Run" SET status = 'completed', "lockedChatId" = NULL WHERE id = $1`, [holder])
    })

    it('does not limit runs of different chats', async () => {
      const a = await seedChat(db.prisma)
      const b = await seedChat(db.prisma, a.accountId)
      await insertRun(a, { status: 'running', lockedChatId: a.chatId })
      await insertRun(b, { status: 'running', lockedChatId: b.chatId })
      expect(await db.prisma.run.count({ where: { accountId: a.accountId, lockedChatId: { not: null } } })).toBe(2)
    })
  })

  describe('other unique constraints', () => {
    it('Message: position is unique per chat, the id only within its chat', async () => {
      const a = await seedChat(db.prisma)
      const b = await seedChat(db.prisma, a.accountId)
      const msg = (chatId: string, id: string, position: number) =>
        sql.query(`INSERT INTO "Message" (id, "chatId", position, role, parts) VALUES ($1, $2, $3, 'user', '[]')`, [
          id,
          chatId,
          position,
        ])
      await msg(a.chatId, 'm1', 0)
      await expect(msg(a.chatId, 'm2', 0)).rejects.toMatchObject({
        code: '23505',
        constraint: 'Message_chatId_position_key',
      })
      await expect(msg(a.chatId, 'm1', 1)).rejects.toMatchObject({ code: '23505', constraint: 'Message_pkey' })
      await msg(b.chatId, 'm1', 0)
    })

    it('ApiKey hash, Workspace (accountId, path) and Run responseId are unique', async () => {
      const accountId = await seedAccount(db.prisma)
      const hash = crypto.randomBytes(32).toString('hex')
      const key = () =>
        sql.query(
          `INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash) VALUES ($1, $2, 'k', 'personal', 'ryk_', $3)`,
          [newId('apiKey'), accountId, hash],
        )
      await key()
      await expect(key()).rejects.toMatchObject({ code: '23505', constraint: 'ApiKey_hash_key' })

      const ws = () =>
        sql.query(`INSERT INTO "Workspace" (id, "accountId", path, name) VALUES ($1, $2, '/w', 'w')`, [
          newId('workspace'),
          accountId,
        ])
      await ws()
      await expect(ws()).rejects.toMatchObject({ code: '23505', constraint: 'Workspace_accountId_path_key' })

      const chat = await seedChat(db.prisma, accountId)
      const runA = await insertRun(chat)
      const runB = await insertRun(chat)
      await sql.query(`UPDATE "Run" SET "responseId" = 'resp_1' WHERE id = $1`, [runA])
      await expect(sql.query(`UPDATE "Run" SET "responseId" = 'resp_1' WHERE id = $1`, [runB])).rejects.toMatchObject({
        code: '23505',
        constraint: 'Run_responseId_key',
      })
    })
  })

  describe('foreign keys and cascades', () => {
    it('deleting a session deletes its chats, their messages, runs and run events', async () => {
      const chat = await seedChat(db.prisma)
      const other = await seedChat(db.prisma, chat.accountId)
      for (const c of [chat, other]) {
        await sql.query(
          `INSERT INTO "Message" (id, "chatId", position, role, parts) VALUES ('m1', $1, 0, 'user', '[]')`,
          [c.chatId],
        )
        const run = await insertRun(c)
        await sql.query(
          `INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES ($1, 1, 1, 'text', '{}')`,
          [run],
        )
      }
      await db.prisma.session.delete({ where: { id: chat.sessionId } })

      const count = async (table: string, column: string, value: string) =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [value]))
          .rows[0]!.n
      const left = async (c: typeof chat) => ({
        chats: await count('Chat', 'sessionId', c.sessionId),
        messages: await count('Message', 'chatId', c.chatId),
        runs: await count('Run', 'sessionId', c.sessionId),
        events: (
          await sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId" WHERE r."chatId" = $1`,
            [c.chatId],
          )
        ).rows[0]!.n,
      })
      const orphanEvents = (
        await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "RunEvent" e WHERE NOT EXISTS (SELECT 1 FROM "Run" r WHERE r.id = e."runId")`,
        )
      ).rows[0]!.n
      expect(await left(chat)).toEqual({ chats: 0, messages: 0, runs: 0, events: 0 })
      expect(orphanEvents).toBe(0)
      // The other session of the same account is untouched.
      expect(await left(other)).toEqual({ chats: 1, messages: 1, runs: 1, events: 1 })
    })

    it('a run key belongs to an existing run and is deleted with it', async () => {
      const chat = await seedChat(db.prisma)
      const insertKey = (runId: string) =>
        sql.query(
          `INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash, "runId") VALUES ($1, $2, 'run', 'ephemeral', 'ryr_', $3, $4)`,
          [newId('apiKey'), chat.accountId, crypto.randomBytes(32).toString('hex'), runId],
        )
      await expect(insertKey('run_doesnotexist')).rejects.toMatchObject({
        code: '23503',
        constraint: 'ApiKey_runId_fkey',
      })
      const run = await insertRun(chat)
      await insertKey(run)
      await db.prisma.session.delete({ where: { id: chat.sessionId } })
      expect((await sql.query(`SELECT 1 FROM "ApiKey" WHERE "runId" = $1`, [run])).rowCount).toBe(0)
    })

    it('deleting an account deletes everything it owns', async () => {
      const chat = await seedChat(db.prisma)
      const { accountId } = chat
      await sql.query(
        `INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash) VALUES ($1, $2, 'k', 'personal', 'ryk_', $3)`,
        [newId('apiKey'), accountId, crypto.randomBytes(32).toString('hex')],
      )
      await sql.query(`INSERT INTO "Workspace" (id, "accountId", path, name) VALUES ($1, $2, '/w', 'w')`, [
        newId('workspace'),
        accountId,
      ])
      await insertRun(chat)
      await db.prisma.account.delete({ where: { id: accountId } })
      for (const table of ['ApiKey', 'Workspace', 'Session', 'Chat', 'Run']) {
        const { rows } = await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE "accountId" = $1`,
          [accountId],
        )
        expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 })
      }
    })

    it('deleting a workspace keeps its sessions (workspaceId set to NULL); deleting an org detaches its members', async () => {
      const accountId = await seedAccount(db.prisma)
      const workspaceId = newId('workspace')
      await db.prisma.workspace.create({ data: { id: workspaceId, accountId, path: '/w', name: 'w' } })
      const sessionId = newId('session')
      await db.prisma.session.create({
        data: { id: sessionId, accountId, workspaceId, sandboxType: 'none', modelId: 'm', providerId: 'p' },
      })
      await db.prisma.workspace.delete({ where: { id: workspaceId } })
      expect(await db.prisma.session.findUnique({ where: { id: sessionId }, select: { workspaceId: true } })).toEqual({
        workspaceId: null,
      })

      const orgId = await seedAccount(db.prisma, 'org')
      await db.prisma.account.update({ where: { id: accountId }, data: { orgId } })
      await db.prisma.account.delete({ where: { id: orgId } })
      expect(await db.prisma.account.findUnique({ where: { id: accountId }, select: { orgId: true } })).toEqual({
        orgId: null,
      })
    })

    it('rejects rows pointing at a missing parent', async () => {
      const accountId = await seedAccount(db.prisma)
      await expect(
        sql.query(
          `INSERT INTO "Chat" (id, "sessionId", "accountId", "updatedAt") VALUES ($1, 'session_missing', $2, now())`,
          [newId('chat'), accountId],
        ),
      ).rejects.toMatchObject({ code: '23503', constraint: 'Chat_sessionId_fkey' })
    })
  })

  it('timestamps are UTC whatever the database time zone is (Prisma and raw pg agree)', async () => {
    // A non-UTC default for new sessions; our connections set TimeZone=UTC themselves.
    await sql.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} SET timezone TO 'Pacific/Auckland'`)
    const fresh = createPgPool(db.url, { max: 1 })
    const viaPrisma = await createDb({ databaseUrl: db.url, migrate: false, poolSize: 1 })
    try {
      const id = newId('account')
      const client = await fresh.connect()
      let nowMs: number
      try {
        await client.query('BEGIN')
        await client.query(`INSERT INTO "Account" (id, name) VALUES ($1, 'tz')`, [id]) // createdAt DEFAULT CURRENT_TIMESTAMP
        const { rows } = await client.query<{ ms: string }>(
          `SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS ms`,
        )
        nowMs = Number(rows[0]!.ms)
        await client.query('COMMIT')
      } finally {
        client.release()
      }
      const raw = (await fresh.query<{ createdAt: Date }>(`SELECT "createdAt" FROM "Account" WHERE id = $1`, [id]))
        .rows[0]!.createdAt
      const orm = (await viaPrisma.prisma.account.findUniqueOrThrow({ where: { id } })).createdAt
      // TIMESTAMP(3) rounds to the millisecond.
      expect(Math.abs(raw.getTime() - nowMs)).toBeLessThanOrEqual(1)
      expect(orm.getTime()).toBe(raw.getTime())
    } finally {
      await fresh.end()
      await viaPrisma.close()
      await sql.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} RESET timezone`)
    }
  })

  it('repeated and alternating timestamps in one result each read as their own Date', async () => {
    const { rows } = await sql.query<{ t: Date }>(
      `SELECT t::timestamp(3) AS t FROM unnest(ARRAY['2026-01-02 03:04:05.678', '2026-01-02 03:04:05.678', '1999-12-31 23:59:59.999', '2026-01-02 03:04:05.678']) AS t`,
    )
    const times = rows.map((r) => r.t)
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-01-02T03:04:05.678Z',
      '2026-01-02T03:04:05.678Z',
      '1999-12-31T23:59:59.999Z',
      '2026-01-02T03:04:05.678Z',
    ])
    // Equal values are distinct objects: changing one row's Date leaves the others alone.
    times[0]!.setTime(0)
    expect(times[1]!.toISOString()).toBe('2026-01-02T03:04:05.678Z')
  })
}

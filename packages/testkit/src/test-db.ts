// A private database per test file, cloned from the migrated template the global setup made.
import crypto from 'node:crypto'
import pg from 'pg'
import { createDb, type Db } from '@runyard/db'
import { inject } from 'vitest'

const TEMPLATE_DB = 'runyard_template'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

export interface TestDb extends Db {
  name: string
  drop(): Promise<void>
}

export function adminUrl(): string {
  return inject('pgAdminUrl')
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * Creates a fresh, migrated database on the test server (or on `baseUrl`'s server); with
 * `empty`, a database without any schema (not migrated).
 */
export async function createTestDb(
  opts: { baseUrl?: string; poolSize?: number; empty?: boolean } = {},
): Promise<TestDb> {
  const base = opts.baseUrl ?? adminUrl()
  const name = `t_${crypto.randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') })
  await admin.connect()
  try {
    if (opts.baseUrl || opts.empty) await admin.query(`CREATE DATABASE ${name}`)
    else await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(base, name)
  const db = await createDb({
    databaseUrl: url,
    migrate: Boolean(opts.baseUrl) && !opts.empty,
    poolSize: opts.poolSize,
  })
  return {
    ...db,
    name,
    async drop() {
      await db.close()
      const c = new pg.Client({ connectionString: withDatabase(base, 'postgres') })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}

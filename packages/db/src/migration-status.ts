// Whether the database's schema is the one this build expects: every migration shipped in
// prisma/migrations applied (readiness probes). Reads the bookkeeping table `prisma migrate
// deploy` and runMigrations write; the shipped names are read from disk once per process.
import fs from 'node:fs/promises'
import { MIGRATIONS_DIR } from './migrate.ts'

/** What the readiness check needs of a database: one query. */
export interface MigrationQueryable {
  query<R extends object>(sql: string): Promise<{ rows: R[] }>
}

export interface MigrationStatus {
  /** Shipped with this build but not applied: the schema is older than the code. */
  pending: string[]
  /** Applied but not shipped with this build: a newer version migrated the database (rolling upgrade). */
  unknown: string[]
}

const shipped = new Map<string, Promise<string[]>>()

function shippedMigrations(baseDir: string): Promise<string[]> {
  let names = shipped.get(baseDir)
  if (!names) {
    names = fs.readdir(baseDir, { withFileTypes: true }).then((entries) =>
      entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    )
    names.catch(() => shipped.delete(baseDir))
    shipped.set(baseDir, names)
  }
  return names
}

export async function migrationStatus(db: MigrationQueryable, baseDir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const [names, { rows }] = await Promise.all([
    shippedMigrations(baseDir),
    db.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    ),
  ])
  const applied = new Set(rows.map((r) => r.migration_name))
  const known = new Set(names)
  return { pending: names.filter((n) => !applied.has(n)), unknown: [...applied].filter((n) => !known.has(n)).sort() }
}

// Defaults the server's configuration reads without loading the database client.
import os from 'node:os'

/**
 * Connections of a process's shared pool (the API, Prisma and the engine's statements): twice the
 * CPU cores, at least 4 and at most 20 — the usual rule for a pool (cores × 2 plus the disks,
 * HikariCP's "About Pool Sizing"), with this machine's cores standing in for the database's. More
 * connections than PostgreSQL has cores to run them only wait inside PostgreSQL instead of in the
 * pool, and each is a backend of ~8 MB once it has run Runyard's statements (its catalog cache
 * and prepared plans; docs/benchmarks.md, "Where the peak goes"). `RUNYARD_DB_POOL_SIZE`
 * overrides it.
 */
export function defaultDbPoolSize(): number {
  return Math.min(MAX_DEFAULT_DB_POOL_SIZE, Math.max(4, 2 * os.availableParallelism()))
}

/**
 * The most connections a default pool opens, whatever the cores (which `availableParallelism`
 * counts without a container's CPU quota): with pg-boss's 2, the LISTENs and the start-up's
 * migration check, a process stays well within the embedded PostgreSQL's `max_connections`
 * (100), with room for CLI commands and a few worker processes. A larger pool is a choice:
 * `RUNYARD_DB_POOL_SIZE`.
 */
export const MAX_DEFAULT_DB_POOL_SIZE = 20

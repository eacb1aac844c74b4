// The shared pool and the workers' statement slots: the slots must leave the API at least one
// connection of the pool, also when RUNYARD_DB_POOL_SIZE is set (below the default slots, say to
// save memory), or a burst of executions holds every connection and the API's requests wait
// until Prisma gives up on them.
import { describe, expect, it } from 'vitest'
import { engineConfig, loadConfig } from '../src/config.ts'

describe('worker statement slots against the shared pool', () => {
  const envs: Record<string, string>[] = [
    {},
    { RUNYARD_DB_POOL_SIZE: '2' },
    { RUNYARD_DB_POOL_SIZE: '3' },
    { RUNYARD_DB_POOL_SIZE: '4', RUNYARD_WORKER_STATEMENT_CONCURRENCY: '16' },
    { RUNYARD_WORKER_STATEMENT_CONCURRENCY: '40' },
  ]
  it.each(envs)('leave the API a connection: %o', (env) => {
    const config = loadConfig(env, '/srv')
    const slots = engineConfig(config, undefined).workerStatementConcurrency
    expect(slots).toBeGreaterThanOrEqual(1)
    expect(slots).toBeLessThan(config.database.poolSize)
  })

  it('keep a setting that fits the pool', () => {
    const config = loadConfig({ RUNYARD_DB_POOL_SIZE: '20', RUNYARD_WORKER_STATEMENT_CONCURRENCY: '5' }, '/srv')
    expect([config.database.poolSize, engineConfig(config, undefined).workerStatementConcurrency]).toEqual([20, 5])
  })
})

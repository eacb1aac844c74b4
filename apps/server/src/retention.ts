// Retention for `runyard start` (hourly, on a pg-boss schedule) and `runyard retention` (the CLI):
// the services' RetentionService on a small pool of its own, so a long sweep never takes the
// engine's connections from admission and workers (it holds one connection at a time).
import type { Db } from '@runyard/db'
import { createPgPool } from '@runyard/db'
import { retentionStore, type ScheduledJob } from '@runyard/engine'
import { retentionJob, RetentionService } from '@runyard/services'
import type { ServerConfig } from './config.ts'
import type { Logger } from './logger.ts'

export interface Retention {
  service: RetentionService
  close(): Promise<void>
}

export function openRetention(config: ServerConfig, db: Pick<Db, 'url'>): Retention {
  const pool = createPgPool(db.url, { max: 1, application_name: 'runyard-retention' })
  return { service: new RetentionService(retentionStore(pool), config.workspaces.dir), close: () => pool.end() }
}

/** The hourly retention job when RUNYARD_RETENTION_DAYS is set (none otherwise), and what to close at shutdown. */
export function retentionSchedules(
  config: ServerConfig,
  db: Pick<Db, 'url'>,
  log: Logger,
): { schedules: ScheduledJob[]; close(): Promise<void> } {
  if (!config.retentionDays) return { schedules: [], close: async () => {} }
  const retention = openRetention(config, db)
  return { schedules: [retentionJob(retention.service, config.retentionDays, log)], close: retention.close }
}

export { createDb, runMigrations, EMBEDDED_DATABASE, type Db, type CreateDbOptions } from './client.ts'
export {
  startEmbeddedPostgres,
  tempDataDir,
  freePort,
  type EmbeddedOptions,
  type EmbeddedServer,
  type ProgressFn,
} from './embedded.ts'
export { DataDirInUseError } from './data-dir-owner.ts'
export { createPgPool, pgConfig } from './pg.ts'
export { migrationStatus, type MigrationQueryable, type MigrationStatus } from './migration-status.ts'
export { hashSecret, newApiKeySecret, type NewSecret } from './secrets.ts'
export { PrismaClient, Prisma } from './generated/client.ts'
export type { Account, ApiKey, Workspace, Session, Chat, Message, Run, RunEventBatch } from './generated/client.ts'
export type { WebhookDelivery, WebhookEndpoint } from './generated/client.ts'
export * from './generated/enums.ts'

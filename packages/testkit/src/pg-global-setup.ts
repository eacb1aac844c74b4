// Vitest global setup: one embedded PostgreSQL for the whole run, with a migrated template
// database. Test files get their own database cloned from the template (`createTestDb`).
import type { TestProject } from 'vitest/node'
import { runMigrations, startEmbeddedPostgres, tempDataDir, type EmbeddedServer } from '@runyard/db'
import fs from 'node:fs/promises'

export const TEMPLATE_DB = 'runyard_template'

export type { TestDb } from './test-db.ts'

let server: EmbeddedServer | undefined
let dir: string | undefined

export async function setup(project: TestProject) {
  dir = tempDataDir('runyard-test-pg-')
  server = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 400 })
  await server.ensureDatabase(TEMPLATE_DB)
  await runMigrations(server.urlFor(TEMPLATE_DB))
  project.provide('pgAdminUrl', server.adminUrl)
}

export async function teardown() {
  await server?.stop()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
}

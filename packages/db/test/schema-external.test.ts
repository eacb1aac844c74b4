// The same schema, constraint and migration tests on an external PostgreSQL: `DATABASE_URL` when
// set, else a throwaway cluster of the machine's PostgreSQL binaries. Skipped (and reported as
// skipped) when neither is available.
import { afterAll, beforeAll, describe } from 'vitest'
import { externalPostgres } from '../../testkit/src/system-postgres.ts'
import { schemaSuite } from './support/schema-suite.ts'

const external = externalPostgres()

describe.skipIf(!external)(
  `db on an external PostgreSQL (${external?.label ?? 'set DATABASE_URL or install postgresql'})`,
  () => {
    let server: { url: string; stop(): Promise<void> } | undefined
    beforeAll(async () => {
      server = await external!.start()
    })
    afterAll(async () => {
      await server?.stop()
    })
    schemaSuite(() => server!.url)
  },
)

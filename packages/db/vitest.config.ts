import { defineProject } from 'vitest/config'
// The global setup starts one embedded PostgreSQL for the run; each test file creates its own
// database on it (testkit's createTestDb). The embedded lifecycle tests start further servers of
// their own in temp dirs (initdb + start take seconds each), hence the generous timeouts.
export default defineProject({
  test: { name: 'db', globalSetup: ['../testkit/src/pg-global-setup.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
})

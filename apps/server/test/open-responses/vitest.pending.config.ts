// Runs the Open Responses conformance suite while it is pending (its file is not named *.test.ts,
// so the project's own vitest run does not pick it up):
//   npx vitest run -c apps/server/test/open-responses/vitest.pending.config.ts
// Once the suite is renamed to conformance.test.ts it is part of the `server` project, and this
// config still runs just this folder.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'open-responses',
    include: ['test/open-responses/*.spec-pending.ts', 'test/open-responses/*.test.ts'],
    globalSetup: ['../../packages/testkit/src/pg-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})

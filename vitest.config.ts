import { defineConfig } from 'vitest/config'

// One vitest run covers every package (each is a project); `scripts/test.mjs` reads its JSON
// report to print the final "N passed, N failed" line together with Playwright's.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/server',
      // Tests of the repository's own tooling (scripts/lint.test.ts: the lint rules bite).
      { test: { name: 'scripts', include: ['scripts/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

import { defineProject } from 'vitest/config'
export default defineProject({
  test: {
    name: 'server',
    globalSetup: ['../../packages/testkit/src/pg-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})

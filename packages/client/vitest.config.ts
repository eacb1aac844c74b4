import { defineProject } from 'vitest/config'
export default defineProject({
  test: {
    name: 'client',
    globalSetup: ['../testkit/src/pg-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})

import { defineProject } from 'vitest/config'
export default defineProject({
  test: {
    name: 'engine',
    globalSetup: ['../testkit/src/pg-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})

import { defineProject } from 'vitest/config'
export default defineProject({
  test: { name: 'testkit', globalSetup: ['./src/pg-global-setup.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
})

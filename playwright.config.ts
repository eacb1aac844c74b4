import { execFileSync } from 'node:child_process'
import { defineConfig } from '@playwright/test'

/** A loopback port free right now, found synchronously (this file is loaded without top-level await). */
function freeLoopbackPort(): number {
  const script = `const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
    process.stdout.write(String(s.address().port)); s.close() })`
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))
}

// Ports free when the run starts unless given (fixed ones collided with whatever else listens on
// this machine: another checkout's e2e run, a developer's server). Kept in process.env because
// Playwright's worker processes load this file again and must agree with the runner; set E2E_PORT
// to reuse a server already running there.
process.env.E2E_PORT ??= String(freeLoopbackPort())
process.env.E2E_USE_CHAT_APP_PORT ??= String(freeLoopbackPort())
const E2E_PORT = Number(process.env.E2E_PORT)
const E2E_URL = `http://127.0.0.1:${E2E_PORT}`
// The stock `useChat` page (e2e/use-chat-app) is served on its own port: another origin than
// Runyard's, allowed by serve.ts through RUNYARD_CORS_ORIGINS only.
const USE_CHAT_APP_PORT = Number(process.env.E2E_USE_CHAT_APP_PORT)

// End-to-end tests in e2e/. Browsers are never downloaded (`playwright install` is not used):
// Debian's Chromium is driven directly (`apt-get install -y chromium`, done by .ci/run).
// scripts/test.mjs reads the JSON report below for the final "N passed, N failed" line.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e', // screenshots and other per-test artifacts
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: E2E_URL,
    viewport: { width: 1360, height: 860 },
    headless: true,
    screenshot: 'on',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],

  // ── webServer ───────────────────────────────────────────────────────────────────────────
  // Builds the console, then e2e/support/serve.ts starts a fake OpenAI server and Runyard
  // in-process (real engine + agent runtime, fresh embedded PostgreSQL, keys mode with two
  // accounts whose keys go to e2e/.state/keys.json, local bubblewrap sandbox, console build).
  // A second server builds and serves e2e/use-chat-app, a stock `useChat` page, on its own port.
  webServer: [
    {
      command: `node_modules/.bin/vite build apps/console --logLevel warn && node --import tsx e2e/support/serve.ts`,
      url: `${E2E_URL}/api/v1/health`,
      env: { E2E_PORT: String(E2E_PORT), E2E_USE_CHAT_APP_ORIGIN: `http://127.0.0.1:${USE_CHAT_APP_PORT}` },
      timeout: 180_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      // serve.ts stops the engine, then PostgreSQL, then removes its temporary data directory.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    },
    {
      // The useChat page, built and served statically on its own origin (e2e/use-chat.spec.ts).
      command: `node_modules/.bin/vite build e2e/use-chat-app --logLevel warn && node_modules/.bin/vite preview e2e/use-chat-app --host 127.0.0.1 --port ${USE_CHAT_APP_PORT} --strictPort`,
      url: `http://127.0.0.1:${USE_CHAT_APP_PORT}/`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
})

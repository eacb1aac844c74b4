// Test fixtures: the e2e server's state (keys, workspace), signing a page in, screenshots, and a
// guard that fails any test during which the browser logged a console error, threw, had a request
// fail, or got an HTTP error response — unless the test declared that exact problem expected.
import fs from 'node:fs'
import path from 'node:path'
import { test as base, expect, type ConsoleMessage, type Page, type Request, type Response } from '@playwright/test'
import { STATE_FILE, type E2eAccount, type E2eState } from './state.ts'

export const SCREENSHOT_DIR = path.resolve('test-results/e2e/screenshots')

/**
 * `net::ERR_ABORTED` is the browser reporting that the page itself dropped a request: leaving a
 * page or reloading (in-flight queries), React Query cancelling a query nobody shows any more,
 * or the console closing an SSE subscription (`runs.events`, `runs.changes`). That is deliberate
 * for tRPC reads (GET) and is not a failure; nor is the tab icon's load, which the browser drops
 * when the page navigates before it is done (seen once in CI, on signing in). Everything else is:
 * connection errors, a stream cut by the server (ERR_INCOMPLETE_CHUNKED_ENCODING…), any aborted
 * mutation (POST), and every HTTP 4xx/5xx response unless a test declares it expected.
 */
function isDeliberateAbort(method: string, url: string, failure: string): boolean {
  const { pathname } = new URL(url)
  return (
    failure === 'net::ERR_ABORTED' && method === 'GET' && (pathname.startsWith('/trpc/') || pathname === '/favicon.svg')
  )
}

/**
 * Records into `problems` every console error, page error, failed request (but deliberate aborts)
 * and HTTP error response of a page. Returns a function that stops recording (call it before
 * closing the page's context: closing cuts its streams on purpose).
 */
export function watchPage(page: Page, problems: string[]): () => void {
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`)
  }
  const onPageError = (e: Error) => problems.push(`page error: ${e.message}`)
  const onRequestFailed = (r: Request) => {
    const failure = r.failure()?.errorText ?? 'failed'
    if (!isDeliberateAbort(r.method(), r.url(), failure))
      problems.push(`request failed: ${r.method()} ${r.url()} (${failure})`)
  }
  const onResponse = (r: Response) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`)
  }
  page
    .on('console', onConsole)
    .on('pageerror', onPageError)
    .on('requestfailed', onRequestFailed)
    .on('response', onResponse)
  return () =>
    void page
      .off('console', onConsole)
      .off('pageerror', onPageError)
      .off('requestfailed', onRequestFailed)
      .off('response', onResponse)
}

interface Fixtures {
  state: E2eState
  /** Problems this test expects (e.g. a 404 when opening another account's session). */
  allowProblems: (pattern: RegExp) => void
  /** Puts the account's key into the tab's session storage before any page script runs. */
  signIn: (page: Page, account: E2eAccount) => Promise<void>
  shot: (page: Page, name: string) => Promise<string>
  /** Guards another page (a second tab or context) like the test's own `page`; returns the stop function of `watchPage`. */
  watch: (page: Page) => () => void
}

export const test = base.extend<Fixtures & { problems: string[]; allowed: RegExp[] }>({
  state: async ({}, use) => {
    await use(JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as E2eState)
  },
  allowed: async ({}, use) => {
    await use([])
  },
  problems: async ({}, use) => {
    await use([])
  },
  allowProblems: async ({ allowed }, use) => {
    await use((pattern) => void allowed.push(pattern))
  },
  watch: async ({ problems }, use) => {
    await use((page) => watchPage(page, problems))
  },
  page: async ({ page, problems, allowed }, use) => {
    watchPage(page, problems)
    await use(page)
    // Checked while the page is still open, before the context closes its streams.
    const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)))
    expect(unexpected, 'console errors, page errors, failed requests or HTTP errors during the test').toEqual([])
  },
  signIn: async ({}, use) => {
    await use(async (page, account) => {
      await page.addInitScript((key) => window.sessionStorage.setItem('runyard.apiKey', key), account.key)
    })
  },
  shot: async ({}, use) => {
    await use(async (page, name) => {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
      const file = path.join(SCREENSHOT_DIR, `${name}.png`)
      await page.screenshot({ path: file })
      return file
    })
  },
})

export { expect }

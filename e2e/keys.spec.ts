// Keys mode: signing in with an API key, tenancy between accounts, creating and revoking keys.
import { createSession } from './support/console.ts'
import { expect, test } from './support/fixtures.ts'

test('signs in with a key; account A cannot see account B’s sessions', async ({ page, state, shot, allowProblems }) => {
  // B signs in through the form and creates a session
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Sign in with an API key' })).toBeVisible()
  await expect(page.getByLabel('API key')).toBeFocused()
  await shot(page, 'sign-in')
  await page.getByLabel('API key').fill(state.accounts.b.key)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible()
  await expect(page.getByText(state.accounts.b.accountId)).toBeVisible()
  const bobSession = await createSession(page, { title: 'Bob’s private work' })

  // the key lives in this tab's session storage only, never in a URL
  expect(page.url()).not.toContain(state.accounts.b.key)
  expect(await page.evaluate(() => window.sessionStorage.getItem('runyard.apiKey'))).toBe(state.accounts.b.key)

  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in with an API key' })).toBeVisible()

  // A signs in and sees none of B's sessions
  await page.getByLabel('API key').fill(state.accounts.a.key)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByText(state.accounts.a.accountId)).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible()
  await expect(page.locator('.loading')).toHaveCount(0)
  await expect(page.getByText('Bob’s private work')).toHaveCount(0)

  // ... not even by its address: the server answers 404 for another account's session
  allowProblems(new RegExp(`HTTP 404: GET .*/trpc/sessions\\.(get|chats)`))
  allowProblems(/console error: Failed to load resource: the server responded with a status of 404/)
  await page.goto(`/sessions/${bobSession}`)
  await expect(page.getByRole('heading', { name: 'Session not found' })).toBeVisible()
  await page.goto('/runs')
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible()
  await expect(page.getByText('Bob’s private work')).toHaveCount(0)
})

test('a wrong key is refused with a clear message', async ({ page, allowProblems }) => {
  allowProblems(/HTTP 401: GET .*\/trpc\/system\.info/)
  allowProblems(/console error: Failed to load resource: the server responded with a status of 401/)
  await page.goto('/')
  await page.getByLabel('API key').fill('ryk_live_not-a-real-key')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Invalid API key.')
  await expect(page.getByLabel('API key')).toHaveAttribute('aria-invalid', 'true')
})

test('creates a key (secret shown once), uses it, and revokes it', async ({
  page,
  browser,
  state,
  signIn,
  shot,
  watch,
}) => {
  await signIn(page, state.accounts.a)
  await page.goto('/keys')
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible()
  const keysTable = page.getByRole('table', { name: 'API keys' })
  await expect(keysTable).toContainText('alice-e2e')
  await expect(keysTable).not.toContainText('bob-e2e')
  await expect(keysTable.getByRole('row').filter({ hasText: 'alice-e2e' })).toContainText('this tab')

  await page.getByLabel('Name').fill('ci pipeline')
  await page.getByLabel('Expires').selectOption({ label: '30 days' })
  await page.getByRole('button', { name: 'Create key' }).click()
  const secret = (await page.getByTestId('new-key-secret').innerText()).trim()
  expect(secret).toMatch(/^ryk_live_/)
  await expect(page.getByText('it will not be shown again')).toBeVisible()
  await shot(page, 'keys')

  // the new key works for account A in another tab
  const other = await browser.newContext()
  const tab = await other.newPage()
  const unwatch = watch(tab) // the same no-console-error / no-failed-request guard as `page`
  await tab.goto('/')
  await tab.getByLabel('API key').fill(secret)
  await tab.getByRole('button', { name: 'Sign in' }).click()
  await expect(tab.getByText(state.accounts.a.accountId)).toBeVisible()
  unwatch()
  await other.close()

  // once dismissed, the secret is gone for good; revoke the key
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByText(secret)).toHaveCount(0)
  const row = keysTable.getByRole('row').filter({ hasText: 'ci pipeline' })
  await row.getByRole('button', { name: 'Revoke' }).click()
  await row
    .getByRole('group', { name: /Revoke this key/ })
    .getByRole('button', { name: 'Revoke' })
    .click()
  await expect(row).toContainText('revoked')
})

// Steps shared by the specs, written the way a person uses the console.
import { expect, type Page } from '@playwright/test'

export async function createSession(page: Page, opts: { title: string; workspace?: string }): Promise<string> {
  await page.goto('/sessions')
  await page.getByRole('button', { name: 'New session' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New session' })
  await dialog.getByLabel('Title').fill(opts.title)
  if (opts.workspace) await dialog.getByLabel('Workspace path').fill(opts.workspace)
  else await dialog.getByText('A fresh folder').click()
  await dialog.getByRole('button', { name: 'Create session' }).click()
  await expect(page.getByRole('heading', { level: 1, name: opts.title })).toBeVisible()
  const id = /\/sessions\/(sess_[0-9A-Za-z]+)/.exec(page.url())?.[1]
  expect(id, 'the console opens the new session').toBeTruthy()
  return id!
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message' })
}

export async function send(page: Page, text: string): Promise<void> {
  const box = composer(page)
  await box.fill(text)
  await box.press('Enter')
}

/** The last assistant turn in the transcript. */
export function lastTurn(page: Page) {
  return page.locator('.msg-assistant').last()
}

/** The run is over when Send is back in place of Stop. */
export async function waitIdle(page: Page, timeout = 30_000): Promise<void> {
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0, { timeout })
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
}

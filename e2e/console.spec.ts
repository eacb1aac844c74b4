// The web console in real Chromium against a real Runyard (engine, agent runtime, local sandbox,
// embedded PostgreSQL) with a fake OpenAI-compatible model (see support/scenarios.ts).
import fs from 'node:fs'
import path from 'node:path'
import { composer, createSession, lastTurn, send, waitIdle } from './support/console.ts'
import { expect, test } from './support/fixtures.ts'
import { numberedWords } from './support/scenarios.ts'

test.beforeEach(async ({ page, signIn, state }) => {
  await signIn(page, state.accounts.a)
})

test('creates a session and lists it with its state and usage', async ({ page, state, shot }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/sessions$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible()
  await expect(page.locator('.loading')).toHaveCount(0)
  if (await page.getByText('No sessions yet').isVisible()) await shot(page, 'sessions-empty')

  await page.getByRole('button', { name: 'New session' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New session' })
  await expect(dialog.getByLabel('Title')).toBeFocused()
  await dialog.getByLabel('Title').fill('Demo project')
  await dialog.getByLabel('Workspace path').fill(state.workspace)
  await expect(dialog.getByLabel('Sandbox')).toHaveValue('local')
  await expect(dialog.getByLabel('Model')).toHaveValue('openai/runyard-test-model')
  await shot(page, 'session-new')
  await dialog.getByRole('button', { name: 'Create session' }).click()

  await expect(page.getByRole('heading', { level: 1, name: 'Demo project' })).toBeVisible()
  await expect(page.getByText('Start the conversation')).toBeVisible()
  await expect(composer(page)).toBeFocused()

  await page.getByRole('link', { name: 'Sessions', exact: true }).first().click()
  const row = page.getByRole('row').filter({ hasText: 'Demo project' })
  await expect(row).toBeVisible()
  await expect(row).toContainText(state.workspace)
  await expect(row).toContainText('provisioning')
  await expect(row).toContainText('Local (bubblewrap)')

  // archive it (asks first); archived sessions are hidden until asked for
  await row.getByRole('button', { name: 'Archive' }).click()
  await row.getByRole('group', { name: 'Archive this session?' }).getByRole('button', { name: 'Archive' }).click()
  await expect(row).toHaveCount(0)
  await page.getByLabel(/Show archived/).check()
  await expect(row).toContainText('archived')
  await row.getByRole('link', { name: 'Demo project' }).click()
  await expect(page.getByText('This session is archived.')).toBeVisible()
  await expect(composer(page)).toHaveCount(0)
})

test('streams the answer with reasoning and a tool-call card, and answers a question inline', async ({
  page,
  state,
  shot,
}) => {
  await createSession(page, { title: 'Tour of the workspace', workspace: state.workspace })
  // Shift+Enter adds a line, Enter sends; focus stays in the box
  await composer(page).fill('Please list files')
  await composer(page).press('Shift+Enter')
  await composer(page).pressSequentially('in the workspace')
  await expect(composer(page)).toHaveValue('Please list files\nin the workspace')
  await composer(page).press('Enter')
  await expect(composer(page)).toHaveValue('')
  await expect(composer(page)).toBeFocused()
  await expect(page.locator('.msg-user').last()).toHaveText('Please list files\nin the workspace')

  const card = page.getByRole('article', { name: 'Tool call bash' })
  await expect(card).toBeVisible()
  await expect(card).toContainText('$ ls -1')
  await expect(card.getByLabel('Output')).toContainText('README.md')
  await expect(card).toContainText('done')
  await expect(card.locator('.tool-duration')).toHaveText(/\d+(\.\d+)? (ms|s)/)
  await expect(lastTurn(page)).toContainText('The workspace has a README.md and a src folder with the entry point.')
  await waitIdle(page)

  // reasoning is there but collapsed
  const reasoning = lastTurn(page).locator('details.reasoning')
  await expect(reasoning).not.toHaveAttribute('open', '')
  await reasoning.locator('summary').click()
  await expect(reasoning).toContainText('Listing it with bash')

  // the session now shows the run's tokens
  await expect(page.locator('.chat-meta')).toContainText('930 in')

  // a failing tool call is shown as an error
  await send(page, 'read missing file please')
  const failed = page.getByRole('article', { name: 'Tool call read' })
  await expect(failed).toHaveClass(/tool-error/)
  await expect(failed.getByLabel('Error')).toBeVisible()
  await waitIdle(page)

  // ask_user_question: answered inline, the answer is the next message
  await send(page, 'ask me which branch to use')
  const question = page.getByRole('region', { name: 'Question from the agent' })
  await expect(question).toContainText('Which branch should I use?')
  await waitIdle(page)
  await shot(page, 'chat-question')
  await question.getByRole('button', { name: 'develop' }).click()
  await expect(question).toContainText('You answered: develop')
  await expect(lastTurn(page)).toContainText('You said: "develop"')
  await waitIdle(page)

  await page.locator('.chat-scroll').evaluate((el) => el.scrollTo(0, 0))
  const file = await shot(page, 'chat')
  // The README's screenshot; refreshed on request so a test run leaves the tree clean.
  if (process.env.UPDATE_README_SCREENSHOT) fs.copyFileSync(file, path.join('docs', 'console.png'))
})

test('Stop cancels a long run and the turn shows cancelled', async ({ page, shot }) => {
  await createSession(page, { title: 'Long task' })
  await send(page, 'Write something slow and long')
  await expect(lastTurn(page)).toContainText('slow5')
  const stop = page.getByRole('button', { name: 'Stop' })
  await expect(stop).toBeVisible()
  await expect(page.getByText('Agent is working')).toBeVisible()
  await shot(page, 'chat-busy')
  await stop.click()

  await expect(lastTurn(page).locator('[data-status="cancelled"]')).toBeVisible()
  await waitIdle(page)
  // the partial answer is kept, and nothing more arrives
  const text = await lastTurn(page).locator('.assistant-text').innerText()
  expect(text.startsWith('slow1 slow2 slow3')).toBe(true)
  expect(text).not.toContain('slow300')
  await expect(composer(page)).toBeEnabled()

  await page.getByRole('link', { name: 'Runs', exact: true }).click()
  await expect(page.getByRole('row').filter({ hasText: 'Long task' }).first()).toContainText('cancelled')
})

test('reloading mid-stream continues the text without duplicates or gaps', async ({ page }) => {
  await createSession(page, { title: 'Reload me', workspace: undefined })
  await send(page, 'stream a numbered list')
  await expect(lastTurn(page)).toContainText('word8 ')
  // the first step (text + a tool call) is already stored; the second streams now
  await expect(page.getByRole('article', { name: 'Tool call bash' })).toHaveCount(1)

  await page.reload()
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()
  const turn = lastTurn(page)
  // still streaming after the reload: more words arrive
  await expect(turn).toContainText('word30 ')
  await waitIdle(page)

  const texts = await turn.locator('.assistant-text').allInnerTexts()
  expect(texts).toEqual(['Checking the workspace first.', numberedWords('word', 60)])
  await expect(page.getByRole('article', { name: 'Tool call bash' })).toHaveCount(1)
  await expect(page.getByText('Checking the workspace first.')).toHaveCount(1)

  // and the stored transcript (after another reload) is the same
  await page.reload()
  await expect(lastTurn(page).locator('.assistant-text')).toHaveText([
    'Checking the workspace first.',
    numberedWords('word', 60),
  ])
})

test('starts an async run and watches it go to completed live, then reads its timeline', async ({ page, shot }) => {
  await page.goto('/runs')
  await page.getByRole('button', { name: 'Start async run' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Start an async run' })
  await dialog.getByLabel('Prompt').fill('stream a short status report')
  await dialog.getByRole('button', { name: 'Start run' }).click()

  const notice = page.getByRole('status').filter({ hasText: 'started' })
  await expect(notice).toBeVisible()
  const runId = await notice.getByRole('link').getAttribute('href')
  const row = page.locator(`tr[data-run-id="${runId!.replace('/runs/', '')}"]`)
  await expect(row.locator('[data-status="running"]')).toBeVisible()
  await expect(row).toContainText('async')
  await shot(page, 'runs-live')
  // no reload: runs.changes moves the row to completed
  await expect(row.locator('[data-status="completed"]')).toBeVisible({ timeout: 30_000 })
  await expect(row).toContainText(/\d+ in/)
  await shot(page, 'runs')

  await row.getByRole('link').first().click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('completed')
  const timeline = page.getByRole('list', { name: 'Run events' })
  await expect(timeline).toContainText('Status → running')
  await expect(timeline).toContainText('Tool call bash')
  await expect(timeline).toContainText('word60')
  await expect(timeline).toContainText('End of stream')
  await expect(page.getByRole('region', { name: 'Token usage' })).toContainText('input tokens')
  await shot(page, 'run-detail')
})

test('settings show the model provider, sandbox and access mode', async ({ page, shot }) => {
  await page.goto('/settings')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  await expect(page.getByText('openai/runyard-test-model').first()).toBeVisible()
  await expect(page.getByText('Local (bubblewrap)').first()).toBeVisible()
  await expect(page.getByText('Keys — every request needs an API key')).toBeVisible()
  await shot(page, 'settings')
})

test('the layout holds at 1024 px', async ({ page, state, shot }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await createSession(page, { title: 'Narrow screen', workspace: state.workspace })
  await send(page, 'list files please')
  await expect(page.getByRole('article', { name: 'Tool call bash' })).toBeVisible()
  await waitIdle(page)
  for (const url of ['/sessions', '/runs', '/keys', '/settings']) {
    await page.goto(url)
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `${url} has no horizontal scroll`).toBeLessThanOrEqual(0)
  }
  await page.goto('/sessions')
  const sessions = page.getByRole('table', { name: 'Sessions' })
  await expect(sessions).toBeVisible()
  // one header row: at this width without the optional Sandbox and Updated columns, and the
  // actions column named for screen readers only
  await expect(sessions.getByRole('columnheader')).toHaveText(['Session', 'Model', 'State', 'Tokens', 'Actions'])
  await expect(sessions.getByRole('columnheader', { name: 'Actions' }).locator('.sr-only')).toHaveCount(1)
  await shot(page, 'sessions-1024')
})

test("shows a turn's images and files in the transcript", async ({ page, state, shot }) => {
  // A 1×1 PNG and a tiny PDF, sent as UIMessage file parts (as useChat attachments are).
  const png =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
  const parts = [
    { type: 'text', text: 'What is in this picture?' },
    { type: 'file', mediaType: 'image/png', url: png, filename: 'dot.png' },
    {
      type: 'file',
      mediaType: 'application/pdf',
      url: 'data:application/pdf;base64,JVBERi0xLjQK',
      filename: 'spec.pdf',
    },
  ]
  const res = await fetch(`${state.url}/api/chat/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': state.accounts.a.key },
    body: JSON.stringify({ messages: [{ id: 'u_files', role: 'user', parts }] }),
  })
  expect(res.status).toBe(202)
  const { sessionId } = (await res.json()) as { sessionId: string }
  await page.goto(`/sessions/${sessionId}`)
  const turn = page.locator('.msg-user').filter({ hasText: 'What is in this picture?' })
  await expect(turn.locator('.attachment-image img')).toHaveAttribute('alt', 'dot.png')
  await expect(turn.locator('.attachment-file')).toContainText('spec.pdf')
  await waitIdle(page)
  await shot(page, 'chat-attachments')
})

// A stock AI SDK `useChat` page (e2e/use-chat-app: DefaultChatTransport with `api` and `headers`
// only, the chat id useChat generates itself) served on ANOTHER origin than Runyard, allowed by
// RUNYARD_CORS_ORIGINS alone (see support/serve.ts). It must stream a turn with its tool call,
// continue the chat, and survive a reload mid-turn through `resume: true` + the persisted
// messages, showing the finished turn exactly once.
import type { Page, Response } from '@playwright/test'
import { expect, test } from './support/fixtures.ts'
import { numberedWords } from './support/scenarios.ts'

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test.beforeEach(async ({ page, state }) => {
  // What a sign-in form would do: the API URL and this account's key in the tab's session storage.
  await page.addInitScript(
    ({ api, key }) => {
      window.sessionStorage.setItem('useChatApp.api', api)
      window.sessionStorage.setItem('useChatApp.apiKey', key)
    },
    { api: `${state.url}/api/chat`, key: state.accounts.a.key },
  )
})

const status = (page: Page) => page.getByLabel('Chat status')
const messages = (page: Page) => page.getByRole('list', { name: 'Messages' }).getByRole('listitem')
const assistant = (page: Page) => page.getByRole('listitem', { name: 'assistant message' })

async function send(page: Page, text: string, chatApi: string): Promise<Response> {
  // (a refused or blocked request never gets a response: fail as soon as an expect would)
  const posted = page.waitForResponse((r) => r.url() === chatApi && r.request().method() === 'POST', {
    timeout: 15_000,
  })
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
  return posted
}

/** What useChat's DefaultChatTransport sent, and that the browser was allowed to read the answer. */
function checkTurnRequest(post: Response, appOrigin: string) {
  const body = post.request().postDataJSON() as {
    id: string
    messages: { id: string; role: string }[]
    trigger: string
  }
  expect(Object.keys(body).sort(), 'the stock request body: nothing prepared by the page').toEqual([
    'id',
    'messages',
    'trigger',
  ])
  expect(body.trigger).toBe('submit-message')
  expect(post.status()).toBe(200)
  const headers = post.headers()
  expect(headers['access-control-allow-origin']).toBe(appOrigin)
  expect(headers['access-control-expose-headers']?.split(',').map((h) => h.trim())).toEqual(
    expect.arrayContaining(['x-workflow-run-id', 'x-vercel-ai-ui-message-stream']),
  )
  expect(headers['x-vercel-ai-ui-message-stream']).toBe('v1')
  expect(headers['x-workflow-run-id']).toMatch(/^run_/)
  return { body, runId: headers['x-workflow-run-id']! }
}

test('a useChat page on another origin streams a tool call and its answer, and continues the chat', async ({
  page,
  state,
  shot,
}) => {
  const app = state.useChatAppOrigin
  expect(new URL(app).origin).not.toBe(new URL(state.url).origin)
  const chatApi = `${state.url}/api/chat`
  await page.goto(`${app}/`)
  await expect(status(page)).toHaveText('ready')

  const first = checkTurnRequest(await send(page, 'list files please', chatApi), app)
  const chatId = first.body.id
  // the id useChat generated itself (not a Runyard chat id), kept in the page's URL
  expect(chatId).not.toMatch(/^chat_/)
  expect(first.body.messages.map((m) => m.role)).toEqual(['user'])
  await expect(page).toHaveURL(new RegExp(`[?&]chat=${escape(chatId)}(&|$)`))

  await expect(assistant(page).getByRole('region', { name: 'Tool call bash' })).toHaveAttribute(
    'data-state',
    'output-available',
  )
  await expect(assistant(page).locator('.text').last()).toHaveText(
    'The workspace has a README.md and a src folder with the entry point.',
  )
  await expect(status(page)).toHaveText('ready')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await shot(page, 'use-chat-tool-call')

  // a second turn in the same chat: useChat sends the whole history, tool part included
  const second = checkTurnRequest(await send(page, 'and now say hello', chatApi), app)
  expect(second.body.id).toBe(chatId)
  expect(second.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
  expect(second.runId).not.toBe(first.runId)
  await expect(assistant(page)).toHaveCount(2)
  await expect(assistant(page).nth(1)).toContainText('You said: "and now say hello"')
  await expect(status(page)).toHaveText('ready')
  await expect(messages(page)).toHaveCount(4)
  await expect(page.getByRole('region', { name: 'Tool call bash' })).toHaveCount(1)
})

test('a useChat page on another origin resumes a turn after a reload mid-turn and shows it once', async ({
  page,
  state,
  allowProblems,
  shot,
}) => {
  const app = state.useChatAppOrigin
  const chatApi = `${state.url}/api/chat`
  await page.goto(`${app}/`)
  await expect(status(page)).toHaveText('ready')

  // "stream": a first step (text + a bash call), then ~6 s of numbered words
  const { body, runId } = checkTurnRequest(await send(page, 'stream a numbered list', chatApi), app)
  const chatId = body.id
  expect(chatId).not.toMatch(/^chat_/)
  await expect(page).toHaveURL(new RegExp(`[?&]chat=${escape(chatId)}(&|$)`))
  await expect(assistant(page).getByRole('region', { name: 'Tool call bash' })).toHaveAttribute(
    'data-state',
    'output-available',
  )
  await expect(assistant(page)).toContainText('word8 ')
  await expect(status(page)).toHaveText('streaming')

  // Reloading cuts the POST's stream (the browser aborts it); the run goes on on the server.
  allowProblems(new RegExp(`^request failed: POST ${escape(chatApi)} \\(net::ERR_ABORTED\\)$`))
  const transcript = page.waitForResponse((r) => r.url() === `${chatApi}/${chatId}/messages`, { timeout: 15_000 })
  const resumed = page.waitForResponse((r) => r.url() === `${chatApi}/${chatId}/stream`, { timeout: 15_000 })
  await page.reload()
  expect((await transcript).status()).toBe(200)
  const stream = await resumed
  // still running: the run's stream is resumed (a 204 would mean nothing to resume)
  expect(stream.status()).toBe(200)
  expect(stream.headers()['x-runyard-run-id']).toBe(runId)
  expect(stream.headers()['access-control-allow-origin']).toBe(app)

  // more words arrive after the reload, then the turn ends
  await expect(page.getByRole('list', { name: 'Messages' })).toContainText('word30 ')
  await expect(status(page)).toHaveText('ready')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await shot(page, 'use-chat-resumed')

  const expectTurnOnce = async () => {
    await expect(messages(page)).toHaveCount(2)
    await expect(page.getByRole('listitem', { name: 'user message' })).toHaveText('stream a numbered list')
    await expect(assistant(page)).toHaveCount(1)
    await expect(assistant(page).locator('.text')).toHaveText([
      'Checking the workspace first.',
      numberedWords('word', 60),
    ])
    await expect(page.getByRole('region', { name: 'Tool call bash' })).toHaveCount(1)
    await expect(page.getByRole('region', { name: 'Tool call bash' })).toHaveAttribute('data-state', 'output-available')
    await expect(page.getByText('Checking the workspace first.')).toHaveCount(1)
  }
  await expectTurnOnce()

  // Reloaded once finished: nothing to resume (204), the answer comes from the stored messages.
  const again = page.waitForResponse((r) => r.url() === `${chatApi}/${chatId}/stream`, { timeout: 15_000 })
  await page.reload()
  expect((await again).status()).toBe(204)
  await expect(status(page)).toHaveText('ready')
  await expectTurnOnce()

  // and the chat goes on from the stored transcript: useChat sends it back as it got it
  const next = checkTurnRequest(await send(page, 'and now say hello', chatApi), app)
  expect(next.body.id).toBe(chatId)
  expect(next.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
  expect(next.runId).not.toBe(runId)
  await expect(assistant(page).nth(1)).toContainText('You said: "and now say hello"')
  await expect(status(page)).toHaveText('ready')
  await expect(messages(page)).toHaveCount(4)
  await expect(page.getByText('Checking the workspace first.')).toHaveCount(1)
})

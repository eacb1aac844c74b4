// Webhooks in the console: add an endpoint pointing at a receiver on this machine (the e2e server
// allows 127.0.0.1:<webhookReceiverPort> through RUNYARD_WEBHOOK_ALLOW_HOSTS, nothing else on
// loopback), see its signing secret once, finish a run, see the message delivered in the endpoint's
// log, redeliver it, rotate the secret, disable the endpoint, delete it.
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSession, send, waitIdle } from './support/console.ts'
import { expect, test } from './support/fixtures.ts'

interface Received {
  headers: http.IncomingHttpHeaders
  body: string
}

/** A webhook receiver: records every request and answers 204. */
async function startReceiver(port: number): Promise<{ received: Received[]; url: string; close: () => Promise<void> }> {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    received,
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * Checks a message's signature as the Standard Webhooks specification defines it, independently of
 * the library the server signs with: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with
 * the secret's base64 part.
 */
function signedWith(secret: string, { headers, body }: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64')
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .includes(`v1,${expected}`)
}

test('adds an endpoint, shows its secret once, logs the delivery of a finished run and redelivers it', async ({
  page,
  state,
  signIn,
  shot,
  allowProblems,
}) => {
  const receiver = await startReceiver(state.webhookReceiverPort)
  try {
    await signIn(page, state.accounts.a)
    await page.goto('/sessions')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible()

    // A loopback address the operator did not allow is refused, with the reason in the form.
    allowProblems(/HTTP 400: POST .*\/trpc\/webhooks\.create/)
    allowProblems(/console error: Failed to load resource: the server responded with a status of 400/)
    await page.getByRole('button', { name: 'Add endpoint' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' })
    await dialog.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/hooks')
    await dialog.getByRole('button', { name: 'Add endpoint' }).click()
    await expect(dialog.getByRole('alert')).toContainText('RUNYARD_WEBHOOK_ALLOW_HOSTS')

    // The receiver's address is allowed. Only run ends are asked for (no run.waiting).
    const url = `${receiver.url}/hooks/${crypto.randomUUID()}`
    await dialog.getByLabel('Endpoint URL').fill(url)
    await dialog.getByLabel('Description').fill('e2e receiver')
    await dialog.getByRole('checkbox', { name: /run\.waiting/ }).uncheck()
    await dialog.getByRole('button', { name: 'Add endpoint' }).click()
    await expect(dialog).toBeHidden()
    const secret = (await page.getByTestId('webhook-secret').innerText()).trim()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    await expect(page.getByText('it will not be shown again')).toBeVisible()
    await shot(page, 'webhooks-created')
    await page.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByText(secret)).toHaveCount(0)

    const table = page.getByRole('table', { name: 'Webhook endpoints' })
    const row = table.getByRole('row').filter({ hasText: url })
    await expect(row).toContainText('e2e receiver')
    await expect(row).toContainText('enabled')
    await expect(row).toContainText('run.completed, run.failed, run.cancelled')
    await row.getByRole('link', { name: url }).click()
    const endpointId = /\/webhooks\/(whep_[0-9A-Za-z]+)/.exec(page.url())?.[1]
    expect(endpointId, 'the endpoint opens at its own address').toBeTruthy()
    await expect(page.getByRole('heading', { name: 'No messages yet' })).toBeVisible()

    // Something that finishes: a chat turn in a new session of this account.
    await createSession(page, { title: 'Webhook trigger' })
    await send(page, 'hello, webhooks')
    await waitIdle(page)
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(1)
    const first = receiver.received[0]!
    expect(signedWith(secret, first), 'signed with the secret the console showed').toBe(true)
    const messageId = String(first.headers['webhook-id'])
    expect(messageId).toMatch(/^whmsg_/)
    const payload = JSON.parse(first.body) as { type: string; data: { status: string; runId: string } }
    expect(payload).toMatchObject({ type: 'run.completed', data: { status: 'completed' } })

    // The delivery log shows it delivered, on the first attempt.
    await page.goto(`/webhooks/${endpointId}`)
    const log = page.getByRole('table', { name: 'Deliveries' })
    const message = log.locator(`tr[data-message-id="${messageId}"]`)
    await expect(message).toHaveAttribute('data-status', 'succeeded')
    await expect(message).toContainText('run.completed')
    await expect(message).toContainText('delivered')
    await expect(message).toContainText('HTTP 204')
    await expect(message.getByRole('cell').nth(3)).toHaveText('1')
    await expect(message.getByRole('link')).toHaveAttribute('href', `/runs/${payload.data.runId}`)
    await shot(page, 'webhooks-delivery-log')

    // Redelivered: the same message (id and body), signed again, logged as a second attempt.
    await message.getByRole('button', { name: 'Redeliver' }).click()
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(2)
    const second = receiver.received[1]!
    expect(second.headers['webhook-id']).toBe(messageId)
    expect(second.body).toBe(first.body)
    expect(signedWith(secret, second)).toBe(true)
    await expect(message.getByRole('cell').nth(3)).toHaveText('2')
    await expect(message).toHaveAttribute('data-status', 'succeeded')
    await expect(page.getByText('Last delivered')).toBeVisible()

    // A rotated secret is shown once, and differs.
    await page.getByRole('button', { name: 'Rotate secret' }).click()
    await page
      .getByRole('group', { name: /Rotate the signing secret/ })
      .getByRole('button', { name: 'Rotate' })
      .click()
    const rotated = (await page.getByTestId('webhook-secret').innerText()).trim()
    expect(rotated).toMatch(/^whsec_/)
    expect(rotated).not.toBe(secret)
    await page.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByTestId('webhook-secret')).toHaveCount(0)

    // Disabled: says so, and nothing can be redelivered.
    await page.getByRole('button', { name: 'Disable' }).click()
    await expect(page.getByTestId('endpoint-disabled')).toContainText('This endpoint is disabled')
    await expect(message.getByRole('button', { name: 'Redeliver' })).toBeDisabled()
    await shot(page, 'webhooks-disabled')

    // Deleted, after confirming: back to the list, without it.
    await page.getByRole('button', { name: 'Delete' }).click()
    await page
      .getByRole('group', { name: /Delete this endpoint/ })
      .getByRole('button', { name: 'Delete' })
      .click()
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible()
    await expect(page.getByText(url)).toHaveCount(0)
    expect(receiver.received).toHaveLength(2)
  } finally {
    await receiver.close()
  }
})

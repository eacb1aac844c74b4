// `runyard start` listens without the AI SDK (issue #21): the compiled server (apps/server/dist)
// is started with loader hooks that hold every module holding the `ai` package (the package
// itself, or the build's chunk it is bundled into) until the test lets it go
// (support/hold-ai-sdk). The server must answer its health check while the AI SDK is held; then
// it must ask for the AI SDK by itself (the executor warmed once listening); a run started while
// it is still held waits for it, and completes with the model's answer once it is released.
// Were the AI SDK on the path to listening (imported by the server's entry, its surfaces, or the
// agent's light modules), the server would never become healthy and the test would time out.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { fakeTurn, startFakeOpenAI, type FakeOpenAI } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServerIfStale } from './support/build-server.ts'
import { eventually } from './support/eventually.ts'
import { spawnCompiledStart } from './support/source-cli.ts'

const HOOKS = path.join(import.meta.dirname, 'support/hold-ai-sdk/register.mjs')
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-lazy-agent-'))
let fake: FakeOpenAI | undefined

beforeAll(async () => {
  buildServerIfStale()
  fake = await startFakeOpenAI()
}, 120_000)

afterAll(async () => {
  await fake?.close()
  fs.rmSync(scratch, { recursive: true, force: true })
})

describe('runyard start without the AI SDK on its path to listening', () => {
  it('is healthy while the AI SDK is held, loads it by itself once listening, and a run started meanwhile waits for it', async () => {
    const releaseFile = path.join(scratch, 'release')
    const logFile = path.join(scratch, 'held.log')
    fs.writeFileSync(logFile, '')
    const port = await freePort()
    const { proc, output, exited } = spawnCompiledStart({
      cwd: scratch,
      imports: [HOOKS],
      env: {
        RUNYARD_DATA_DIR: path.join(scratch, 'data'),
        RUNYARD_PORT: String(port),
        RUNYARD_LOG_LEVEL: 'warn',
        RUNYARD_SANDBOX: 'host',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fake!.url,
        RUNYARD_MODEL: 'openai/gpt-test',
        HOLD_AI_SDK_RELEASE_FILE: releaseFile,
        HOLD_AI_SDK_LOG_FILE: logFile,
      },
    })
    const base = `http://127.0.0.1:${port}`
    const held = () => fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean)
    try {
      const health = await eventually(
        async () => {
          const res = await fetch(`${base}/api/v1/health`)
          return res.ok ? ((await res.json()) as { status: string }) : undefined
        },
        () => `the server did not become healthy while the AI SDK was held (held: ${held().join(', ')}):\n${output()}`,
      )
      expect(health.status).toBe('ok')
      // The models are listed without it.
      const models = (await (await fetch(`${base}/v1/models`)).json()) as { data: { id: string }[] }
      expect(models.data.map((m) => m.id)).toContain('openai/gpt-test')

      // Once listening, the server loads the agent's executor, and with it the AI SDK, by itself.
      const asked = await eventually(
        async () => (held().length > 0 ? held() : undefined),
        () => `the server never loaded the AI SDK:\n${output()}`,
      )
      expect(asked.length).toBeGreaterThan(0)

      // A run started while the executor cannot load yet is admitted and waits; it cannot finish.
      fake!.enqueue(fakeTurn.text(['The answer, ', 'after the wait.']))
      const started = await fetch(`${base}/api/chat/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'hello' }),
      })
      expect(started.status, output()).toBe(202)
      const { runId, chatId } = (await started.json()) as { runId: string; chatId: string }
      const status = async () =>
        ((await (await fetch(`${base}/api/chat/runs/${runId}`)).json()) as { status: string }).status
      expect(['queued', 'running']).toContain(await status())
      expect(fake!.requests).toHaveLength(0)

      fs.writeFileSync(releaseFile, '')
      const finished = await eventually(
        async () => {
          const s = await status()
          return ['completed', 'failed', 'cancelled'].includes(s) ? s : undefined
        },
        () => `the run never finished:\n${output()}`,
      )
      expect(finished, output()).toBe('completed')
      expect(fake!.requests).toHaveLength(1)
      const transcript = await (await fetch(`${base}/api/chat/${chatId}/messages`)).json()
      expect(JSON.stringify(transcript)).toContain('The answer, after the wait.')
    } finally {
      fs.writeFileSync(releaseFile, '')
      proc.kill('SIGTERM')
      await exited
    }
  }, 180_000)
})

// Runyard, started two ways: `npm start` as a user starts it (npm stays resident as the parent of
// the bootstrap, which runs the server in its own process, and is measured with it; bubblewrap
// sandbox), and the server CLI alone as a production unit would run it (`host` sandbox). A run is
// `POST /api/chat/runs` (new session, chat and run) and its event log read to the end.
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { SERVER_NODE_FLAGS } from '../../../apps/server/bin/node-flags.mjs'
import { MODEL_ID } from '../model.ts'
import type { Command } from '../process.ts'
import { baseEnv, type Driver, type LaunchOptions, type ServerKind } from '../server.ts'
import { postJson, since, sseFrames } from '../sse.ts'
import { checkRun, PROMPT } from '../task.ts'

const CONSOLE_DIR = path.join(repoRoot, 'apps/console/dist')

function runyardEnv({ state, port, modelUrl }: LaunchOptions, sandbox: 'local' | 'host'): Record<string, string> {
  return baseEnv({
    RUNYARD_HOST: '127.0.0.1',
    RUNYARD_PORT: String(port),
    RUNYARD_DATA_DIR: path.join(state, 'data'),
    RUNYARD_WORKSPACES_DIR: path.join(state, 'workspaces'),
    RUNYARD_LOG_LEVEL: 'warn',
    RUNYARD_SANDBOX: sandbox,
    OPENAI_COMPATIBLE_BASE_URL: modelUrl,
    OPENAI_COMPATIBLE_API_KEY: 'sk-bench',
    RUNYARD_MODEL: `openai-compatible/${MODEL_ID}`,
  })
}

/** What `npm start` ends up running: the compiled server CLI with the server's Node flags (built by the `npm start` before the rounds). */
function serverCli(): Pick<Command, 'cmd' | 'args'> {
  return {
    cmd: process.execPath,
    args: [...SERVER_NODE_FLAGS, path.join(repoRoot, 'apps/server/dist/cli.mjs'), 'start'],
  }
}

const common = {
  isRunyard: true,
  healthPath: '/api/v1/health',
  connect: async (base: string) => runyardDriver(base),
} as const

/** `npm start` in `root` (this checkout, or a fresh clone for the cold start). */
export const runyardNpmStart = (root = repoRoot): ServerKind => ({
  ...common,
  id: 'runyard',
  label: 'Runyard `npm start` (bubblewrap)',
  command: (o) => ({ cmd: 'npm', args: ['start'], cwd: root, env: runyardEnv(o, 'local') }),
  // npm names its process after the script (`npm start`); the server runs in the launcher's node.
  isLauncher: (p) => /^npm\b/.test(p.name),
})

export const runyardCliHost: ServerKind = {
  ...common,
  id: 'runyard-cli',
  label: 'Runyard server CLI alone, `host` sandbox',
  command: (o) => ({
    ...serverCli(),
    cwd: repoRoot,
    env: { ...runyardEnv(o, 'host'), ...(fs.existsSync(CONSOLE_DIR) ? { RUNYARD_CONSOLE_DIR: CONSOLE_DIR } : {}) },
  }),
}

interface StoredEvent {
  event: {
    type: string
    status?: string
    output?: string
    tool?: string
    delta?: string
    parentToolCallId?: string
    message?: string
  }
}

function runyardDriver(base: string): Driver {
  return {
    close() {},
    async run() {
      const t0 = performance.now()
      const { runId } = await postJson<{ runId: string }>(`${base}/api/chat/runs`, { prompt: PROMPT }, 202)
      const accepted = performance.now()
      let acceptedToFirstEventMs: number | undefined
      let firstEventMs: number | undefined
      let status: string | undefined
      let toolOutput: string | undefined
      let answer = ''
      for await (const frame of await sseFrames(await fetch(`${base}/api/chat/runs/${runId}/events`))) {
        firstEventMs ??= since(t0)
        acceptedToFirstEventMs ??= since(accepted)
        const { event } = JSON.parse(frame.data) as StoredEvent
        if (event.type === 'tool_result' && event.tool === 'bash') toolOutput = event.output
        else if (event.type === 'text_delta' && !event.parentToolCallId && toolOutput !== undefined)
          answer += event.delta
        else if (event.type === 'error') throw new Error(`run ${runId}: ${event.message}`)
        else if (event.type === 'run_status' && ['completed', 'failed', 'cancelled'].includes(event.status ?? '')) {
          status = event.status
          break
        }
      }
      const latencyMs = since(t0)
      if (status !== 'completed') throw new Error(`run ${runId} ended ${status ?? 'without a final status'}`)
      checkRun({ toolOutput, answer })
      return { latencyMs, firstEventMs: firstEventMs!, acceptedToFirstEventMs: acceptedToFirstEventMs! }
    },
  }
}

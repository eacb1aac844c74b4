// opencode `serve`, offline: its native binary, every folder it writes to inside the state folder,
// a provider `bench` for the scripted model (@ai-sdk/openai-compatible, built into the binary),
// the plugin it would otherwise install from the registry at every start pre-installed
// (install.ts), and every fetch it makes at start turned off. A run is `POST /session` (with a
// title, so opencode spends no model call on one) and `POST /session/{id}/prompt_async`, followed
// on its one `/event` stream until the session is idle again.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { PeerInstall } from '../install.ts'
import { OPENCODE_VERSION } from '../install.ts'
import { MODEL_ID } from '../model.ts'
import { baseEnv, type Driver, type LaunchOptions, type ServerKind } from '../server.ts'
import { postJson, sseFrames } from '../sse.ts'
import { checkRun, PROMPT } from '../task.ts'

const PROVIDER = 'bench'

/** opencode.json: only the scripted model, nothing that reaches out (sharing, updates, LSP downloads). */
const config = (modelUrl: string) => ({
  $schema: 'https://opencode.ai/config.json',
  autoupdate: false,
  share: 'disabled',
  snapshot: false,
  lsp: false,
  formatter: false,
  model: `${PROVIDER}/${MODEL_ID}`,
  small_model: `${PROVIDER}/${MODEL_ID}`,
  enabled_providers: [PROVIDER],
  permission: { '*': 'allow', webfetch: 'deny' },
  provider: {
    [PROVIDER]: {
      npm: '@ai-sdk/openai-compatible',
      name: 'Scripted benchmark model',
      options: { baseURL: modelUrl, apiKey: 'sk-bench' },
      models: { [MODEL_ID]: { name: MODEL_ID, tool_call: true, limit: { context: 128000, output: 4096 } } },
    },
  },
})

/**
 * The state folder: opencode's data, cache, state, home and temp folders, and a work folder that is
 * a git repository of its own (opencode walks up to the nearest .git and writes its project id there).
 */
function prepare(state: string, modelUrl: string) {
  const work = path.join(state, 'work')
  if (fs.existsSync(work)) return
  for (const sub of ['work', 'home', 'tmp', 'data', 'cache', 'xdg-state'])
    fs.mkdirSync(path.join(state, sub), { recursive: true })
  fs.writeFileSync(path.join(state, 'opencode.json'), JSON.stringify(config(modelUrl), null, 2))
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {
      cwd: work,
      stdio: 'ignore',
    })
  git('init', '-q')
  git('commit', '-q', '--allow-empty', '-m', 'init')
}

export function opencodeServer(install: PeerInstall): ServerKind {
  return {
    id: 'opencode',
    label: `opencode ${OPENCODE_VERSION} \`serve\``,
    isRunyard: false,
    healthPath: '/global/health',
    command: ({ state, port, modelUrl }: LaunchOptions) => {
      prepare(state, modelUrl)
      return {
        cmd: install.opencodeBin,
        args: [
          'serve',
          '--pure',
          '--hostname',
          '127.0.0.1',
          '--port',
          String(port),
          '--print-logs',
          '--log-level',
          'WARN',
        ],
        cwd: path.join(state, 'work'),
        env: baseEnv({
          HOME: path.join(state, 'home'),
          // the binary extracts a 5.5 MB native library into the temp folder at every start
          TMPDIR: path.join(state, 'tmp'),
          XDG_CONFIG_HOME: install.opencodeConfigHome,
          XDG_DATA_HOME: path.join(state, 'data'),
          XDG_CACHE_HOME: path.join(state, 'cache'),
          XDG_STATE_HOME: path.join(state, 'xdg-state'),
          OPENCODE_CONFIG: path.join(state, 'opencode.json'),
          OPENCODE_DISABLE_MODELS_FETCH: 'true',
          OPENCODE_MODELS_URL: 'http://127.0.0.1:9',
          OPENCODE_DISABLE_AUTOUPDATE: 'true',
          OPENCODE_DISABLE_SHARE: 'true',
          OPENCODE_DISABLE_DEFAULT_PLUGINS: 'true',
          OPENCODE_DISABLE_LSP_DOWNLOAD: 'true',
          OPENCODE_DISABLE_CLAUDE_CODE: 'true',
          OPENCODE_DISABLE_EXTERNAL_SKILLS: 'true',
        }),
      }
    },
    connect: (base) => opencodeDriver(base),
  }
}

interface BusEvent {
  type: string
  properties?: {
    sessionID?: string
    status?: { type?: string }
    info?: { sessionID?: string }
    part?: { sessionID?: string }
    error?: unknown
  }
}
type Listener = (event: BusEvent, at: number) => void

interface Part {
  type: string
  tool?: string
  text?: string
  state?: { status?: string; output?: string }
}

/** One `/event` subscription for all runs, each event routed to its session's run. */
async function opencodeDriver(base: string): Promise<Driver> {
  const listeners = new Map<string, Listener>()
  const stop = new AbortController()
  let connected!: () => void
  const ready = new Promise<void>((resolve) => (connected = resolve))
  void (async () => {
    try {
      for await (const frame of await sseFrames(await fetch(`${base}/event`, { signal: stop.signal }))) {
        const at = performance.now()
        const event = JSON.parse(frame.data) as BusEvent
        if (event.type === 'server.connected') connected()
        const p = event.properties
        const session = p?.sessionID ?? p?.info?.sessionID ?? p?.part?.sessionID
        if (session) listeners.get(session)?.(event, at)
      }
    } catch (err) {
      if (!stop.signal.aborted)
        for (const l of listeners.values())
          l({ type: 'bench.stream-lost', properties: { error: String(err) } }, performance.now())
    }
  })()
  await Promise.race([
    ready,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('opencode: no server.connected on /event within 10 s')), 10_000),
    ),
  ])

  return {
    close: () => stop.abort(),
    async run(label) {
      const t0 = performance.now()
      const session = await postJson<{ id: string }>(`${base}/session`, { title: `bench ${label}` })
      let firstEventMs: number | undefined
      let busy = false
      const idle = new Promise<number>((resolve, reject) => {
        listeners.set(session.id, (event, at) => {
          if (firstEventMs === undefined && event.type !== 'session.created' && event.type !== 'session.updated')
            firstEventMs = at - t0
          if (event.type === 'session.status' && event.properties?.status?.type === 'busy') busy = true
          if (
            busy &&
            ((event.type === 'session.status' && event.properties?.status?.type === 'idle') ||
              event.type === 'session.idle')
          )
            resolve(at)
          if (event.type === 'session.error' || event.type === 'bench.stream-lost')
            reject(new Error(`${event.type}: ${JSON.stringify(event.properties?.error).slice(0, 300)}`))
        })
      })
      try {
        await postJson(`${base}/session/${session.id}/prompt_async`, {
          model: { providerID: PROVIDER, modelID: MODEL_ID },
          parts: [{ type: 'text', text: PROMPT }],
        })
        const end = await idle
        const messages = (await (await fetch(`${base}/session/${session.id}/message`)).json()) as {
          info: { role: string }
          parts: Part[]
        }[]
        const parts = messages.filter((m) => m.info.role === 'assistant').flatMap((m) => m.parts)
        const tool = parts.find((p) => p.type === 'tool' && p.tool === 'bash' && p.state?.status === 'completed')
        const toolAt = parts.indexOf(tool!)
        checkRun({
          toolOutput: tool?.state?.output,
          answer: parts
            .slice(toolAt + 1)
            .filter((p) => p.type === 'text')
            .map((p) => p.text ?? '')
            .join(''),
        })
        return { latencyMs: end - t0, firstEventMs: firstEventMs ?? NaN }
      } finally {
        listeners.delete(session.id)
      }
    },
  }
}

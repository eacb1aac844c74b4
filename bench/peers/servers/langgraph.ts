// The LangGraph JS API server (`langgraphjs dev`, in-memory), offline: no analytics, no LangSmith
// tracing, no browser; its project (langgraph.json + langgraph/agent.mjs) and everything it writes
// (.langgraph_api/, tsx's cache and pipes in TMPDIR) inside the state folder. A run is
// `POST /threads` and `POST /threads/{id}/runs/stream` read to its end; the outcome is checked on
// the last `values` event (the thread's final state).
import fs from 'node:fs'
import path from 'node:path'
import { LANGGRAPH_API_VERSION, type PeerInstall } from '../install.ts'
import { MODEL_ID } from '../model.ts'
import { baseEnv, type Driver, type LaunchOptions, type ServerKind } from '../server.ts'
import { postJson, since, sseFrames } from '../sse.ts'
import { checkRun, PROMPT } from '../task.ts'

const AGENT = path.join(import.meta.dirname, '../langgraph/agent.mjs')

/** The project folder: the graph, its config, and the install's node_modules for its imports. */
function prepare(state: string, install: PeerInstall): string {
  const project = path.join(state, 'project')
  if (fs.existsSync(project)) return project
  fs.mkdirSync(project, { recursive: true })
  fs.mkdirSync(path.join(state, 'tmp'))
  fs.copyFileSync(AGENT, path.join(project, 'agent.mjs'))
  fs.writeFileSync(
    path.join(project, 'langgraph.json'),
    JSON.stringify({ node_version: '20', graphs: { agent: './agent.mjs:graph' }, env: {} }),
  )
  fs.symlinkSync(path.join(install.langgraphDir, 'node_modules'), path.join(project, 'node_modules'))
  return project
}

export function langgraphServer(install: PeerInstall): ServerKind {
  return {
    id: 'langgraph',
    label: `LangGraph JS API ${LANGGRAPH_API_VERSION} (in-memory dev server)`,
    isRunyard: false,
    healthPath: '/ok',
    command: ({ state, port, modelUrl }: LaunchOptions) => {
      const project = prepare(state, install)
      return {
        cmd: process.execPath,
        args: [
          path.join(install.langgraphDir, 'node_modules/.bin/langgraphjs'),
          'dev',
          '--no-browser',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
        ],
        cwd: project,
        env: baseEnv({
          TMPDIR: path.join(state, 'tmp'),
          LANGGRAPH_CLI_NO_ANALYTICS: '1',
          LANGSMITH_TRACING: 'false',
          LANGCHAIN_TRACING_V2: 'false',
          LANGCHAIN_CALLBACKS_BACKGROUND: 'true',
          BROWSER: 'none',
          BENCH_MODEL_URL: modelUrl,
          BENCH_MODEL_ID: MODEL_ID,
          BENCH_WORK_DIR: path.join(state, 'work'),
        }),
      }
    },
    connect: async (base) => langgraphDriver(base),
  }
}

interface Message {
  type: string
  name?: string
  content: unknown
}

const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content))

function langgraphDriver(base: string): Driver {
  return {
    close() {},
    async run(label) {
      const t0 = performance.now()
      const thread = await postJson<{ thread_id: string }>(`${base}/threads`, { metadata: { bench: label } })
      const res = await fetch(`${base}/threads/${thread.thread_id}/runs/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          assistant_id: 'agent',
          input: { messages: [{ role: 'user', content: PROMPT }] },
          stream_mode: ['values', 'messages-tuple'],
        }),
      })
      let firstEventMs: number | undefined
      let messages: Message[] = []
      for await (const frame of await sseFrames(res)) {
        firstEventMs ??= since(t0)
        if (frame.event === 'error') throw new Error(`run error: ${frame.data.slice(0, 300)}`)
        if (frame.event === 'values') messages = (JSON.parse(frame.data) as { messages?: Message[] }).messages ?? []
      }
      const latencyMs = since(t0)
      const toolAt = messages.findIndex((m) => m.type === 'tool' && m.name === 'bash')
      const answer = messages
        .slice(toolAt + 1)
        .filter((m) => m.type === 'ai')
        .map((m) => text(m.content))
        .join('')
      checkRun({ toolOutput: toolAt >= 0 ? text(messages[toolAt]!.content) : undefined, answer })
      return { latencyMs, firstEventMs: firstEventMs! }
    },
  }
}

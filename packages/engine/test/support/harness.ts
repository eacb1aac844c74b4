import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { newId, type Run, type RunExecutor, type StartRunRequest, type StoredRunEvent } from '@runyard/contract'
import {
  collectRunEvents,
  createTestDb,
  ScriptedExecutor,
  scriptPrompt,
  seedChat,
  type ScriptStep,
  type TestDb,
} from '@runyard/testkit'
import { createEngine, type Engine, type EngineConfig } from '../../src/index.ts'

/** Warnings and errors surface in the test output. */
export const testLogger = {
  info() {},
  warn: (o: object, m?: string) => console.warn(m, o),
  error: (o: object, m?: string) => console.error(m, o),
}

/** Short leases so crash tests finish quickly. */
export const FAST: Partial<EngineConfig> = { leaseMs: 1500, heartbeatMs: 250, reapIntervalMs: 250, concurrency: 4 }

const runScript: Harness['runScript'] = (engine, { accountId, chatId }, script, extra) =>
  engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: scripted(script), ...extra })

/** A headless run on a new session and chat, as POST /api/chat/runs admits one. */
export function newChatRun(accountId: string): StartRunRequest & { provision: { sessionId: string } } {
  return {
    accountId,
    chatId: newId('chat'),
    kind: 'async',
    model: 'm',
    input: scripted([{ text: 'hi' }]),
    provision: {
      sessionId: newId('session'),
      title: 'hi',
      sandboxType: 'none',
      modelId: 'scripted',
      providerId: 'scripted',
    },
  }
}

/** A run input whose one user message asks the scripted executor to play `script`. */
export const scripted = (script: ScriptStep[]) => ({
  messages: [
    { id: newId('message'), role: 'user' as const, parts: [{ type: 'text' as const, text: scriptPrompt(script) }] },
  ],
})

export interface Harness {
  db: TestDb
  engines: Engine[]
  engine(opts?: { executor?: RunExecutor | null; config?: Partial<EngineConfig> }): Promise<Engine>
  /** Starts an async run of `script` (model `m`) on the chat. */
  runScript(
    engine: Engine,
    chat: { accountId: string; chatId: string },
    script: ScriptStep[],
    extra?: Partial<StartRunRequest>,
  ): Promise<Run>
  /** Seeds an account with a session and a chat, and starts an async run of `script` there (model `m`). */
  seededRun(
    engine: Engine,
    script: ScriptStep[],
    extra?: Partial<StartRunRequest>,
  ): Promise<{ run: Run; accountId: string; sessionId: string; chatId: string }>
  close(): Promise<void>
}

export async function harness(): Promise<Harness> {
  const db = await createTestDb()
  const engines: Engine[] = []
  const children: ChildProcess[] = []
  return {
    db,
    engines,
    async engine(opts = {}) {
      const executor = opts.executor === null ? undefined : (opts.executor ?? new ScriptedExecutor())
      const e = createEngine({ db, executor, config: { ...FAST, ...opts.config }, log: testLogger })
      await e.start()
      engines.push(e)
      return e
    },
    runScript,
    async seededRun(engine, script, extra) {
      const seeded = await seedChat(db.prisma)
      return { run: await runScript(engine, seeded, script, extra), ...seeded }
    },
    async close() {
      for (const c of children) c.kill('SIGKILL')
      for (const e of engines.splice(0)) await e.stop().catch(() => {})
      await db.drop()
    },
  }
}

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../../..')

/** Starts a worker in its own process (to SIGKILL it); resolves once it takes jobs. */
export function spawnWorker(url: string, config: Partial<EngineConfig> = FAST): Promise<ChildProcess> {
  // `node --import tsx` rather than the tsx CLI, which runs the script in a grandchild that a
  // SIGKILL of the CLI would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'worker-process.ts')], {
    cwd: repoRoot,
    env: { ...process.env, RUNYARD_TEST_DB_URL: url, RUNYARD_TEST_ENGINE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child)
    })
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)))
  })
}

export function expectContiguous(events: StoredRunEvent[], from = 1) {
  events.forEach((e, i) => {
    if (e.seq !== from + i) throw new Error(`seq gap: expected ${from + i}, got ${e.seq} at index ${i}`)
  })
}

/** The run's whole event log (to its `done`), checked to be gap-free. */
export async function wholeLog(engine: Engine, accountId: string, runId: string): Promise<StoredRunEvent[]> {
  const events = await collectRunEvents(engine.streamRunEvents(accountId, runId))
  expectContiguous(events)
  return events
}

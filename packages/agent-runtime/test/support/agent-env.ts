// A real engine (per-file PostgreSQL database) running the real agent executor, with the real
// @ai-sdk/openai provider pointed at the fake OpenAI server and real sandbox providers (local
// bubblewrap, e2b SDK against the fake E2B). Each test gets a fresh fake model server.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { newId, type RunExecutor, type StoredRunEvent, type UIMessage } from '@runyard/contract'
import { createEngine, type Engine, type EngineConfig } from '@runyard/engine'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import {
  collectRunEvents,
  createTestDb,
  seedChat,
  startFakeE2B,
  startFakeOpenAI,
  type FakeE2B,
  type FakeOpenAI,
  type TestDb,
} from '@runyard/testkit'
import {
  createAgentExecutor,
  createModelRegistry,
  E2BSandboxProvider,
  HostSandboxProvider,
  LocalSandboxProvider,
  type AgentExecutorOptions,
  type SandboxProviders,
} from '../../src/index.ts'

export const FAST_ENGINE: Partial<EngineConfig> = {
  leaseMs: 2000,
  heartbeatMs: 250,
  reapIntervalMs: 250,
  concurrency: 4,
}
const quietLog = { info() {}, warn() {}, error: (o: object, m?: string) => console.error(m, o) }

export type SandboxChoice = 'local' | 'e2b' | 'host' | 'none'

export interface TestChat {
  accountId: string
  sessionId: string
  chatId: string
  /** Host workspace directory (local/host sessions). */
  workspace: string
}

export interface AgentEnv {
  db: TestDb
  engine: Engine
  fake: FakeOpenAI
  e2b: FakeE2B
  tmp: string
  providers: SandboxProviders
  /** Replaces the executor (a new registry against the current fake model server). */
  useExecutor(opts?: Partial<AgentExecutorOptions>): void
  /** A fresh fake model server (and executor) for the next test. */
  reset(): Promise<void>
  chat(sandbox: SandboxChoice, opts?: { globalSkillRefs?: string[] }): Promise<TestChat>
  /** Starts a run with one user message and waits for its `done`. */
  run(
    chat: TestChat,
    text: string,
    extra?: { instructions?: string },
  ): Promise<{ runId: string; events: StoredRunEvent[] }>
  start(chat: TestChat, text: string): Promise<string>
  events(chat: TestChat, runId: string, until?: (e: StoredRunEvent) => boolean): Promise<StoredRunEvent[]>
  messages(chat: TestChat): Promise<UIMessage[]>
  /** Another engine (worker) on the same database and executor; stopped by close(). */
  startEngine(): Promise<Engine>
  close(): Promise<void>
}

export function userMessage(text: string): UIMessage {
  return { id: newId('message'), role: 'user', parts: [{ type: 'text', text }] }
}

/** Content events only (no run_status/done), as compact labels for order assertions. */
export function labels(events: StoredRunEvent[]): string[] {
  return events.flatMap(({ event: e }) => {
    switch (e.type) {
      case 'tool_call':
        return [`call:${e.tool}`]
      case 'tool_result':
        return [`result:${e.tool}${e.isError ? ':error' : ''}`]
      case 'text_delta':
      case 'reasoning_delta':
      case 'run_status':
      case 'done':
        return []
      default:
        return [e.type]
    }
  })
}

export function textOf(events: StoredRunEvent[], parent?: string): string {
  return events
    .flatMap(({ event: e }) => (e.type === 'text_delta' && e.parentToolCallId === parent ? [e.delta] : []))
    .join('')
}

export function toolResults(events: StoredRunEvent[]) {
  return events.flatMap(({ event: e }) => (e.type === 'tool_result' ? [e] : []))
}

export async function createAgentEnv(opts: { engineConfig?: Partial<EngineConfig> } = {}): Promise<AgentEnv> {
  const db = await createTestDb()
  const e2b = await startFakeE2B()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-rt-'))
  const providers: SandboxProviders = {
    local: new LocalSandboxProvider(),
    host: new HostSandboxProvider(),
    e2b: new E2BSandboxProvider({ ...e2b.connectionOpts, timeoutMs: 120_000 }),
  }
  let fake = await startFakeOpenAI()
  let current: RunExecutor
  const useExecutor = (o: Partial<AgentExecutorOptions> = {}) => {
    const models = createModelRegistry({
      openai: { apiKey: 'sk-test', baseURL: fake.url },
      defaultModel: 'openai/gpt-test',
    })
    current = createAgentExecutor({
      models,
      sandboxes: providers,
      workspacesRoot: path.join(tmp, 'workspaces'),
      maxRetries: 0,
      ...o,
    })
  }
  useExecutor()
  const delegating: RunExecutor = { execute: (ctx) => current.execute(ctx) }
  const engines: Engine[] = []
  const startEngine = async () => {
    const e = createEngine({
      db,
      executor: delegating,
      config: { ...FAST_ENGINE, ...opts.engineConfig },
      log: quietLog,
    })
    await e.start()
    engines.push(e)
    return e
  }
  const engine = await startEngine()

  const env: AgentEnv = {
    db,
    engine,
    get fake() {
      return fake
    },
    e2b,
    tmp,
    providers,
    useExecutor,
    async reset() {
      await fake.close()
      fake = await startFakeOpenAI()
      useExecutor()
    },
    async chat(sandbox, o = {}) {
      const ids = await seedChat(db.prisma)
      const workspace = path.join(tmp, `ws-${crypto.randomBytes(4).toString('hex')}`)
      fs.mkdirSync(workspace, { recursive: true })
      const wsId = newId('workspace')
      await db.prisma.workspace.create({ data: { id: wsId, accountId: ids.accountId, path: workspace, name: 'test' } })
      await db.prisma.session.update({
        where: { id: ids.sessionId },
        data: {
          sandboxType: sandbox,
          workspaceId: sandbox === 'e2b' ? null : wsId,
          modelId: 'gpt-test',
          providerId: 'openai',
          globalSkillRefs: o.globalSkillRefs ?? [],
        },
      })
      return { ...ids, workspace }
    },
    async start(chat, text) {
      const run = await engine.startRun({
        accountId: chat.accountId,
        chatId: chat.chatId,
        kind: 'async',
        model: 'openai/gpt-test',
        input: { messages: [userMessage(text)] },
      })
      return run.id
    },
    async run(chat, text, extra = {}) {
      const run = await engine.startRun({
        accountId: chat.accountId,
        chatId: chat.chatId,
        kind: 'async',
        model: 'openai/gpt-test',
        input: { messages: [userMessage(text)], ...extra },
      })
      return { runId: run.id, events: await collectRunEvents(engine.streamRunEvents(chat.accountId, run.id)) }
    },
    events: (chat, runId, until) => collectRunEvents(engine.streamRunEvents(chat.accountId, runId), until),
    async messages(chat) {
      const rows = await db.prisma.message.findMany({ where: { chatId: chat.chatId }, orderBy: { position: 'asc' } })
      return rows.map((r) => ({ id: r.id, role: r.role as UIMessage['role'], parts: r.parts as UIMessage['parts'] }))
    },
    startEngine,
    async close() {
      for (const e of engines) await e.stop().catch(() => {})
      await fake.close().catch(() => {})
      await e2b.close().catch(() => {})
      await db.drop().catch(() => {})
      fs.rmSync(tmp, { recursive: true, force: true })
    },
  }
  return env
}

/**
 * One AgentEnv for the test file: created before its tests, reset before each, closed after.
 * The returned object reads through to the env at access time (its `fake` changes on every
 * reset), so a test file can hold it from module scope.
 */
export function useAgentEnv(): AgentEnv {
  let env: AgentEnv | undefined
  beforeAll(async () => {
    env = await createAgentEnv()
  })
  afterAll(async () => {
    await env?.close()
  })
  beforeEach(async () => {
    await env!.reset()
  })
  return new Proxy({} as AgentEnv, {
    get(_target, key) {
      if (!env) throw new Error('the agent env is created in beforeAll')
      const value: unknown = Reflect.get(env, key, env)
      return typeof value === 'function' ? value.bind(env) : value
    },
  })
}

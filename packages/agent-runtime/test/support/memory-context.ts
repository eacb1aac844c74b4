// An in-memory RunContext: the executor without the engine, for resume tests that need to
// control exactly what a previous attempt left behind.
import type { ExecutorEvent, ExecutionSession, RunContext, UIMessage } from '@runyard/contract'

export interface MemoryRun {
  events: ExecutorEvent[]
  messages: UIMessage[]
  checkpoints: unknown[]
  todos: unknown
  sessionPatches: unknown[]
  /** Every emit (`emit:<type>`), `saveMessages` (`save`) and `checkpoint` call, in order (a checkpoint's messages are stored as saveMessages stores them). */
  calls: string[]
  /** What `updateSession` reports: set it to play an archive that happened meanwhile. */
  archived: boolean
  /** A context for one attempt (`resume` set from the last checkpoint when `resumed`). */
  context(opts: { signal?: AbortSignal; resumed?: boolean; onEmit?: (e: ExecutorEvent) => void }): RunContext
}

export function memoryRun(opts: { runId: string; workspacePath: string; userText: string; model?: string }): MemoryRun {
  const upsert = (msgs: UIMessage[]) => {
    for (const m of structuredClone(msgs)) {
      const i = state.messages.findIndex((x) => x.id === m.id)
      if (i >= 0) state.messages[i] = m
      else state.messages.push(m)
    }
  }
  const state: MemoryRun = {
    events: [],
    messages: [{ id: 'msg_user1', role: 'user', parts: [{ type: 'text', text: opts.userText }] }],
    checkpoints: [],
    todos: [],
    sessionPatches: [],
    calls: [],
    archived: false,
    context({ signal, resumed, onEmit }) {
      const session: ExecutionSession = {
        id: 'sess_mem',
        accountId: 'acct_mem',
        title: '',
        workspaceId: 'ws_mem',
        workspacePath: opts.workspacePath,
        repoOwner: null,
        repoName: null,
        branch: null,
        cloneUrl: null,
        sandboxType: 'local',
        sandboxState: null,
        lifecycleState: 'provisioning',
        modelId: 'gpt-test',
        providerId: 'openai',
        globalSkillRefs: [],
      }
      return {
        run: {
          id: opts.runId,
          kind: 'async',
          accountId: 'acct_mem',
          chatId: 'chat_mem',
          sessionId: session.id,
          model: opts.model ?? 'openai/gpt-test',
          input: {},
          attempt: 1,
          metadata: null,
        },
        session,
        apiKey: 'ryk_memory',
        apiUrl: undefined,
        signal: signal ?? new AbortController().signal,
        resume: resumed ? { checkpoint: state.checkpoints.at(-1) ?? null, lastSeq: state.events.length } : null,
        emit(e) {
          state.calls.push(`emit:${e.type}`)
          state.events.push(e)
          onEmit?.(e)
        },
        flush: async () => {},
        checkpoint: async (c, msgs) => {
          state.calls.push('checkpoint')
          state.checkpoints.push(structuredClone(c))
          if (msgs) upsert(msgs)
        },
        loadMessages: async () => structuredClone(state.messages),
        saveMessages: async (msgs) => {
          state.calls.push('save')
          upsert(msgs)
        },
        updateSession: async (patch) => {
          state.sessionPatches.push(patch)
          return { archived: state.archived }
        },
        loadTodos: async () => state.todos,
        saveTodos: async (t) => {
          state.todos = t
        },
      }
    },
  }
  return state
}

// The contract between the engine and whatever executes runs (the agent runtime; scripted
// executors in tests). It knows no database and no surface.
import type { RunErrorCode, RunEvent } from './events.ts'
import type { LifecycleState, RunKind, SandboxType } from './entities.ts'
import type { UIMessage } from './ui-message.ts'

/** What a run is asked to do; stored as `Run.input`. */
export interface RunInput {
  /**
   * Messages saved to the chat when the run first starts: the new user turn, and known messages
   * updated in place (a pending client tool call given its output).
   */
  messages?: UIMessage[]
  /** Extra instructions for this run only (Responses `instructions`). */
  instructions?: string
  /**
   * Tools the client runs itself (OpenAI `function` tools), offered to the model beside the
   * agent's own. A call to one ends the run with the call pending in the transcript; the client
   * sends its output in a later request.
   */
  clientTools?: ClientTool[]
  /** Which tools the model may or must call (default `auto`). */
  toolChoice?: ToolChoice
  /** Whether the model may call several tools in one step (default: the provider's). */
  parallelToolCalls?: boolean
  /** Sampling settings the client asked for (default: the model's). */
  sampling?: Sampling
}

/** Model call settings a client may choose (OpenAI's names in camelCase). */
export interface Sampling {
  temperature?: number
  topP?: number
  maxOutputTokens?: number
  presencePenalty?: number
  frequencyPenalty?: number
}

/** A client-side function tool: its name, what it does and its parameters' JSON Schema. */
export interface ClientTool {
  name: string
  description?: string
  parameters: Record<string, unknown>
  strict?: boolean
}

/** `auto`, `none`, `required`, or one named tool the model must call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { tool: string }

export interface StartRunRequest {
  accountId: string
  chatId: string
  kind: RunKind
  model: string
  input: RunInput
  /** `reject` (default): fail with `chat_busy`. `enqueue`: wait behind the chat's active run. */
  ifBusy?: 'reject' | 'enqueue'
  /** Run id chosen by the caller (e.g. to build a response id), else generated. */
  runId?: string
  responseId?: string
  previousResponseId?: string
  metadata?: Record<string, unknown>
  /**
   * The personal or org API key whose per-key rate limit the run counts against (none for keyless
   * callers): the key asking for it, or for a run key, the key its own run counted against.
   */
  keyId?: string | null
  /**
   * Create the session and `chatId`'s chat in the same transaction as the run (headless runs
   * that name no chat), so a failed admission leaves nothing behind.
   */
  provision?: NewSessionValues
  /**
   * The API surface the request came through (`chat`, `cometcode`, `responses`…), for the
   * engine's in-process observers (metrics). Not stored, and no authority of any kind.
   */
  surface?: string
}

/** Column values of a session created together with its first run. */
export interface NewSessionValues {
  sessionId: string
  title: string
  sandboxType: SandboxType
  modelId: string
  providerId: string
  /** The id the client gave the new chat (AI SDK `useChat`), if any. */
  chatClientId?: string
}

/** Events an executor may emit; the engine itself writes run_status, error, step_retry and done. */
export type ExecutorEvent = Exclude<RunEvent, { type: 'run_status' | 'error' | 'done' | 'step_retry' }>

export type RunOutcome =
  | { status: 'completed' }
  | { status: 'failed'; error: { code: RunErrorCode; message: string } }
  | { status: 'cancelled' }

export interface ExecutingRun {
  id: string
  kind: RunKind
  accountId: string
  chatId: string
  sessionId: string
  model: string
  input: RunInput
  attempt: number
  metadata: Record<string, unknown> | null
}

/** The session a run executes in, as the executor needs it. */
export interface ExecutionSession {
  id: string
  accountId: string
  title: string
  workspaceId: string | null
  workspacePath: string | null
  repoOwner: string | null
  repoName: string | null
  branch: string | null
  cloneUrl: string | null
  sandboxType: SandboxType
  sandboxState: unknown
  lifecycleState: LifecycleState
  modelId: string
  providerId: string
  globalSkillRefs: string[]
}

export interface RunContext {
  run: ExecutingRun
  session: ExecutionSession
  /** The run's ephemeral API key (account-scoped, expires, revoked when the run ends). */
  apiKey: string
  /** Base URL of the Runyard API, for the agent's own calls back (when configured). */
  apiUrl: string | undefined
  /** Fires on cancel, lost lease or shutdown; pass it to model calls and sandbox processes. */
  signal: AbortSignal
  /** Set when a previous attempt was interrupted: continue after the last completed step. */
  resume: { checkpoint: unknown; lastSeq: number } | null
  /** Appends an event to the run's log (buffered and written in order, in batches). */
  emit(event: ExecutorEvent): void
  /** Resolves when every emitted event is durable. */
  flush(): Promise<void>
  /**
   * Flushes events and stores the resume state of the last completed step; `messages` (upserted
   * into the chat's transcript as saveMessages does) are stored by the same statement, so a
   * resume state never points past the transcript it was taken with.
   */
  checkpoint(state: unknown, messages?: UIMessage[]): Promise<void>
  loadMessages(): Promise<UIMessage[]>
  /** Upserts the chat transcript (by message id; array order is transcript order). */
  saveMessages(messages: UIMessage[]): Promise<void>
  /**
   * Stores the session's sandbox state and lifecycle state. An archived session stays archived:
   * a `lifecycleState` in the patch is then ignored (a run that raced an archive never revives it),
   * and `archived` is true.
   */
  updateSession(patch: { sandboxState?: unknown; lifecycleState?: LifecycleState }): Promise<{ archived: boolean }>
  loadTodos(): Promise<unknown>
  saveTodos(todos: unknown): Promise<void>
}

/** Executes runs; implemented by the agent runtime (and by scripted executors in tests). */
export interface RunExecutor {
  execute(ctx: RunContext): Promise<RunOutcome>
}

/**
 * Suspends idle sessions' persistent sandboxes (E2B: pause); given to worker processes' engines by
 * the agent runtime. Only sessions of `sandboxTypes` are hibernated: kinds that keep nothing alive
 * between runs (local, host) have nothing to suspend.
 */
export interface SandboxHibernator {
  /** Sandbox types whose provider here can suspend a sandbox. */
  readonly sandboxTypes: readonly SandboxType[]
  /**
   * Suspends the sandbox behind a session's stored `sandboxState`; opening it again resumes it.
   * Resolves when it is suspended (or gone: the next open starts a new one); rejects when it may
   * still be running.
   */
  hibernate(sandboxType: SandboxType, sandboxState: unknown): Promise<void>
}

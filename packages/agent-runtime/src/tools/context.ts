// What the tools need from the run they serve. Built once per run by the executor (and once
// more, without `task`, for each sub-agent).
import type { Sandbox } from '../sandbox/index.ts'
import type { Skill } from '../skills/types.ts'
import type { FetchPolicy } from '@runyard/egress'

export interface ToolLimits {
  /** Cap on one tool result, in characters (model input and event log). */
  maxOutputChars: number
  /** Default and maximum `bash` timeout. */
  bashTimeoutMs: number
  bashMaxTimeoutMs: number
  /** Largest file `read` and `edit` will load. */
  maxFileBytes: number
  /** Most lines `read` returns by default. */
  readDefaultLines: number
  /** Most matches `grep` and paths `glob` return. */
  maxResults: number
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxOutputChars: 30_000,
  bashTimeoutMs: 2 * 60_000,
  bashMaxTimeoutMs: 10 * 60_000,
  maxFileBytes: 5 * 1024 * 1024,
  readDefaultLines: 2000,
  maxResults: 500,
}

export interface SubAgentRequest {
  description: string
  prompt: string
  /** The `task` tool call the sub-agent's events nest under. */
  toolCallId: string
  signal: AbortSignal | undefined
}

export interface ToolEnvironment {
  /** The run's sandbox; throws (SandboxUnavailableError) with what to configure when there is none. */
  sandbox(): Sandbox
  limits: ToolLimits
  fetchPolicy: FetchPolicy
  skills: readonly Skill[]
  loadTodos(): Promise<unknown>
  saveTodos(todos: unknown): Promise<void>
  /**
   * Runs file mutations one at a time: the AI SDK executes a step's tool calls in parallel,
   * and two edits of one file would otherwise both read the old content. Shared by the run
   * and its sub-agents.
   */
  serializeWrites<T>(fn: () => Promise<T>): Promise<T>
  /** Values never shown to the model or written to events (the run's API key). */
  secrets: readonly string[]
  /** Runs a sub-agent and returns its final answer; absent inside sub-agents (no nesting). */
  runSubAgent?: (req: SubAgentRequest) => Promise<string>
}

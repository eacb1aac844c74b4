// Responses (`resp_…`): the Responses API view of a run of kind `response`. Owns create,
// retrieve, cancel, delete and input items; knows no HTTP and no wire format. A response is a run
// whose `responseId` is set; `previous_response_id` continues the same chat, so the agent sees
// the whole transcript. ErrorShape-specific settings live under `Run.metadata.responses`.
import {
  AppError,
  isAppError,
  isTerminalStatus,
  newId,
  notFound,
  TERMINAL_RUN_STATUSES,
  type ClientTool,
  type RunInput,
  type RunStatus,
  type Sampling,
  type StoredRunEvent,
  type ToolChoice,
  type UIMessage,
} from '@runyard/contract'
import { assertAccountWide, type Caller } from './caller.ts'
import type { RuntimeInfo } from './catalog.ts'
import type { ToolOutput } from './pending-tool-calls.ts'
import type { RunService, StoredRun as RunRow } from './runs.ts'
import type { SessionService } from './sessions.ts'

export interface ResponseRecord {
  responseId: string
  runId: string
  chatId: string
  sessionId: string
  status: RunStatus
  model: string
  createdAt: Date
  instructions: string | null
  metadata: Record<string, string> | null
  previousResponseId: string | null
  background: boolean
  store: boolean
  /** The messages this response added to the chat (its input items). */
  input: UIMessage[]
  /** The request's settings as the response object reports them (tools, sampling…), in the surface's own field names. */
  echo: Record<string, unknown>
}

export interface CreateResponseCommand {
  /** `"default"` or a model id the catalog knows. */
  model: string
  /** The new turn (already validated, ids assigned). */
  messages: UIMessage[]
  instructions?: string
  previousResponseId?: string
  metadata?: Record<string, string>
  background: boolean
  store: boolean
  /** Outputs for the pending client tool calls of `previousResponseId`'s conversation (every one needs one). */
  toolOutputs?: ToolOutput[]
  clientTools?: ClientTool[]
  toolChoice?: ToolChoice
  parallelToolCalls?: boolean
  sampling?: Sampling
  /** Request settings to report back on the response object, as the surface names them. */
  echo?: Record<string, unknown>
}

/** What a response run keeps in `Run.metadata` (the engine stores it opaquely). */
interface StoredSettings {
  metadata: Record<string, string> | null
  background: boolean
  store: boolean
  echo?: Record<string, unknown>
}

export interface ResponseServiceOptions {
  /** How long a non-streaming create waits for the run to finish (`RUNYARD_RESPONSES_TIMEOUT_MS`). */
  timeoutMs: number
  /** How long cancel waits for a running run to stop. */
  cancelWaitMs?: number
}

export class ResponseService {
  constructor(
    private readonly runs: RunService,
    private readonly sessions: SessionService,
    private readonly runtime: RuntimeInfo,
    private readonly opts: ResponseServiceOptions,
  ) {}

  /**
   * Admits the response's run: on the chat of `previousResponseId`, or on a newly provisioned
   * session + chat (removed again if admission fails). Returns as soon as the run is queued.
   */
  async create(caller: Caller, cmd: CreateResponseCommand): Promise<ResponseRecord> {
    const model = this.resolveModel(cmd.model)
    let chatId: string
    let provisionedSessionId: string | undefined
    if (cmd.previousResponseId) {
      const previous = await this.findRow(caller, cmd.previousResponseId, 'previous_response_id')
      chatId = previous.chatId
    } else {
      assertAccountWide(caller, 'start a new conversation (continue one of its session with previous_response_id)')
      const created = await this.sessions.create(caller, { modelId: model.id, providerId: model.providerId })
      chatId = created.chat.id
      provisionedSessionId = created.session.id
    }
    const runId = newId('run')
    // The response id shares the run id's suffix, so either names the other at a glance.
    const responseId = `resp_${runId.slice('run_'.length)}`
    const settings: StoredSettings = {
      metadata: cmd.metadata ?? null,
      background: cmd.background,
      store: cmd.store,
      ...(cmd.echo ? { echo: cmd.echo } : {}),
    }
    try {
      await this.runs.startOnChat(caller, {
        kind: 'response',
        chatId,
        model: model.id,
        providerId: model.providerId,
        messages: cmd.messages,
        instructions: cmd.instructions,
        // a continuation answers the conversation's pending client tool calls (every one)
        ...(cmd.previousResponseId ? { toolOutputs: cmd.toolOutputs ?? [] } : {}),
        clientTools: cmd.clientTools,
        toolChoice: cmd.toolChoice,
        parallelToolCalls: cmd.parallelToolCalls,
        sampling: cmd.sampling,
        runId,
        // Not stored: the id is never registered, so nothing can find the response later.
        responseId: cmd.store ? responseId : undefined,
        previousResponseId: cmd.previousResponseId,
        metadata: { responses: settings },
        ifBusy: 'reject',
      })
    } catch (err) {
      if (provisionedSessionId) await this.sessions.delete(caller, provisionedSessionId).catch(() => {})
      throw await this.explainConflict(caller, err)
    }
    return this.refresh(caller, { responseId, runId })
  }

  /** A stored response of the caller; 404 `response_not_found` otherwise (also for foreign ids). */
  async get(caller: Caller, responseId: string): Promise<ResponseRecord> {
    return toRecord(await this.findRow(caller, responseId), responseId)
  }

  /** Re-reads a record (status changes), by run id: works for unstored responses too. */
  async refresh(caller: Caller, record: Pick<ResponseRecord, 'responseId' | 'runId'>): Promise<ResponseRecord> {
    const row = await this.runs.findStored(caller, { id: record.runId })
    if (!row) throw notFound('response_not_found', `Response ${record.responseId} was not found`)
    return toRecord(row, record.responseId)
  }

  /** Waits (up to the configured timeout, or until `signal` aborts) for the run to finish; returns it as it is then. */
  async waitForResult(caller: Caller, record: ResponseRecord, signal?: AbortSignal): Promise<ResponseRecord> {
    await this.runs.waitForStatus(caller, record.runId, [...TERMINAL_RUN_STATUSES], this.opts.timeoutMs, signal)
    return this.refresh(caller, record)
  }

  /** Waits for the run to end however long it takes, or until `signal` aborts (Chat Completions has no in-progress answer). */
  async waitForEnd(caller: Caller, record: ResponseRecord, signal?: AbortSignal): Promise<ResponseRecord> {
    await this.runs.waitForStatus(caller, record.runId, [...TERMINAL_RUN_STATUSES], 24 * 60 * 60_000, signal)
    return this.refresh(caller, record)
  }

  /** The whole stored event log of the response's run. */
  events(caller: Caller, record: ResponseRecord): Promise<StoredRunEvent[]> {
    return this.runs.log(caller, record.runId)
  }

  /** The log replayed from the start, then tailed until the run's `done` (or `signal`). */
  streamEvents(caller: Caller, record: ResponseRecord, signal: AbortSignal): AsyncGenerator<StoredRunEvent> {
    return this.runs.events(caller, record.runId, 0, signal)
  }

  /** Idempotent in every state: queued never runs, running stops (partial output kept), finished is unchanged. */
  async cancel(caller: Caller, responseId: string): Promise<ResponseRecord> {
    const record = await this.get(caller, responseId)
    await this.runs.cancel(caller, record.runId, { waitMs: this.opts.cancelWaitMs ?? 15_000 })
    return this.refresh(caller, record)
  }

  /**
   * Deletes the response: an active run is cancelled first, then the response id is released, so
   * retrieve, cancel, input items and `previous_response_id` answer 404. The run and the chat
   * transcript stay in their session (they belong to it, not to this API view).
   */
  async delete(caller: Caller, responseId: string): Promise<void> {
    const record = await this.get(caller, responseId)
    if (!isTerminalStatus(record.status))
      await this.runs.cancel(caller, record.runId, { waitMs: this.opts.cancelWaitMs ?? 15_000 })
    if (!(await this.runs.releaseResponseId(caller, record.runId, responseId)))
      throw notFound('response_not_found', `Response ${responseId} was not found`)
  }

  private async findRow(caller: Caller, responseId: string, param?: string): Promise<RunRow> {
    const row = await this.runs.findStored(caller, { responseId })
    if (!row) {
      if (param === 'previous_response_id')
        throw new AppError(
          'not_found',
          'previous_response_not_found',
          `Previous response with id '${responseId}' not found.`,
          { param },
        )
      throw new AppError(
        'not_found',
        'response_not_found',
        `Response ${responseId} was not found`,
        param ? { param } : {},
      )
    }
    return row
  }

  private resolveModel(model: string) {
    try {
      return this.runtime.models.resolve(model === 'default' ? undefined : model)
    } catch (err) {
      if (isAppError(err) && !err.details.param)
        throw new AppError(err.kind, err.code, err.message, { ...err.details, param: 'model' })
      throw err
    }
  }

  /**
   * `chat_busy` names the response (not just the run) that holds the conversation;
   * `session_archived` points at `previous_response_id` (the conversation that cannot go on).
   */
  private async explainConflict(caller: Caller, err: unknown): Promise<unknown> {
    if (isAppError(err) && err.code === 'session_archived')
      return new AppError(err.kind, err.code, err.message, { ...err.details, param: 'previous_response_id' })
    if (!isAppError(err) || err.code !== 'chat_busy') return err
    const activeRunId = err.details.activeRunId
    const active = activeRunId ? await this.runs.findStored(caller, { id: activeRunId }).catch(() => null) : null
    const what = active?.responseId
      ? `response ${active.responseId}`
      : activeRunId
        ? `run ${activeRunId}`
        : 'another run'
    return new AppError(
      'conflict',
      'chat_busy',
      `This conversation is busy: ${what} is still in progress. Wait for it to finish or cancel it, then continue from it.`,
      {
        activeRunId,
        activeResponseId: active?.responseId ?? undefined,
        param: 'previous_response_id',
      },
    )
  }
}

function toRecord(row: RunRow, responseId: string): ResponseRecord {
  const input = (row.input ?? {}) as RunInput
  const settings = (row.metadata as { responses?: Partial<StoredSettings> } | null)?.responses ?? {}
  return {
    responseId,
    runId: row.id,
    chatId: row.chatId,
    sessionId: row.sessionId,
    status: row.status,
    model: row.model,
    createdAt: row.createdAt,
    instructions: input.instructions ?? null,
    metadata: settings.metadata ?? null,
    previousResponseId: row.previousResponseId,
    background: settings.background ?? false,
    store: settings.store ?? true,
    input: input.messages ?? [],
    echo: settings.echo ?? {},
  }
}

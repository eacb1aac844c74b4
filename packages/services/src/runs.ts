// Runs for the surfaces: starting them (resolves the chat or provisions a session + chat, checks
// the model, picks the messages that are new to the transcript, admits the run on the engine) and
// reading, listing, cancelling and streaming them. Surfaces reach the engine only through here.
// Provisioning a new session + chat happens inside the engine's admission transaction, so a
// failure at any step leaves no session, chat, run or key behind. An archived session is refused
// (`session_archived`) up front, so nothing is written for it (title, new chat); the engine's
// admission decides races with a concurrent archive.
import {
  AppError,
  ChatId,
  isAppError,
  newId,
  notFound,
  sessionArchived,
  type Run,
  type RunInput,
  type RunKind,
  type RunStatus,
  type StartChatRunInput,
  type StoredRunEvent,
  type UIMessage,
} from '@runyard/contract'
import type { Engine, ListRunsFilter, RunChange, RunEventFrame } from '@runyard/engine'
import type { PrismaClient, Run as StoredRun } from '@runyard/db'
import { assertAccountWide, inScope, rateLimitedKey, type Caller } from './caller.ts'
import { findChat } from './chats.ts'
import { answerPendingCalls, type ToolOutput } from './pending-tool-calls.ts'
import type { RuntimeInfo } from './catalog.ts'
import { titleFrom, type SessionService } from './sessions.ts'

export function userTextMessage(text: string, metadata?: Record<string, unknown>): UIMessage {
  return { id: newId('message'), role: 'user', parts: [{ type: 'text', text }], ...(metadata ? { metadata } : {}) }
}

export interface StartOnChatInput {
  kind: RunKind
  chatId: string
  /** Model id; the session's model when omitted. */
  model?: string
  providerId?: string
  /** Candidate messages; those already in the transcript (same id) are not appended again. */
  messages?: UIMessage[]
  instructions?: string
  /**
   * Outputs for the chat's pending client tool calls (Responses `function_call_output`): when
   * given, every pending call needs one. When absent, pending calls are closed as "no output
   * provided" (a new turn from another surface goes on).
   */
  toolOutputs?: ToolOutput[]
  /** The client's own tools, the tool choice and sampling for this run (Responses, Chat Completions). */
  clientTools?: RunInput['clientTools']
  toolChoice?: RunInput['toolChoice']
  parallelToolCalls?: boolean
  sampling?: RunInput['sampling']
  ifBusy?: 'reject' | 'enqueue'
  runId?: string
  responseId?: string
  previousResponseId?: string
  metadata?: Record<string, unknown>
}

export type { StoredRun }

export interface ChatRunStarted {
  run: Run
  chatId: string
  sessionId: string
}

const runNotFound = (runId: string) => notFound('run_not_found', `Run ${runId} was not found`)
const isChatId = (ref: string) => ChatId.safeParse(ref).success
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505'

export class RunService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly engine: Engine,
    private readonly sessions: SessionService,
    private readonly runtime: RuntimeInfo,
  ) {}

  async startOnChat(caller: Caller, input: StartOnChatInput): Promise<Run> {
    const chat = await this.prisma.chat.findFirst({
      where: { id: input.chatId, accountId: caller.accountId },
      include: { session: true },
    })
    if (!chat || !inScope(caller, chat.sessionId))
      throw notFound('chat_not_found', `Chat ${input.chatId} was not found`)
    if (chat.session.lifecycleState === 'archived') throw sessionArchived(chat.sessionId)
    const model = this.runtime.models.resolve(
      input.model ?? chat.session.modelId,
      input.model ? input.providerId : chat.session.providerId,
    )
    const known = new Set(
      (await this.prisma.message.findMany({ where: { chatId: chat.id }, select: { id: true } })).map((m) => m.id),
    )
    const fresh = (input.messages ?? []).filter((m) => !known.has(m.id))
    // Only the last assistant message can hold pending client calls: any later run answers them.
    let answered = answerPendingCalls(await this.lastAssistantMessage(chat.id), input.toolOutputs)
    // A run that will wait behind the chat's active run leaves them to it when its input answers
    // them too (with the client's outputs, maybe): this run's answers, read now, would overwrite
    // those when it starts (each claim saves its input messages in place).
    if (answered && input.ifBusy === 'enqueue' && !input.toolOutputs) {
      const active = await this.prisma.run.findFirst({
        where: { lockedChatId: chat.id, accountId: caller.accountId },
        select: { input: true },
      })
      const answeredId = answered.id
      if ((active?.input as RunInput | null)?.messages?.some((m) => m.id === answeredId)) answered = null
    }
    const firstUserText = fresh.find((m) => m.role === 'user')?.parts.find((p) => p.type === 'text')
    if (firstUserText && 'text' in firstUserText && !known.size)
      await this.sessions.titleFromFirstMessage(chat.sessionId, firstUserText.text)
    const runInput: RunInput = {
      // the answered message is saved in place (same id) when the run starts, with the new turn
      messages: [...(answered ? [answered] : []), ...fresh],
      ...(input.instructions ? { instructions: input.instructions } : {}),
      ...(input.clientTools?.length ? { clientTools: input.clientTools } : {}),
      ...(input.toolChoice ? { toolChoice: input.toolChoice } : {}),
      ...(input.parallelToolCalls !== undefined ? { parallelToolCalls: input.parallelToolCalls } : {}),
      ...(input.sampling ? { sampling: input.sampling } : {}),
    }
    return this.engine.startRun({
      accountId: caller.accountId,
      chatId: chat.id,
      kind: input.kind,
      model: model.id,
      input: runInput,
      ifBusy: input.ifBusy,
      runId: input.runId,
      responseId: input.responseId,
      previousResponseId: input.previousResponseId,
      metadata: input.metadata,
      surface: caller.surface,
      keyId: rateLimitedKey(caller),
    })
  }

  private async lastAssistantMessage(chatId: string): Promise<UIMessage | null> {
    const row = await this.prisma.message.findFirst({
      where: { chatId, role: 'assistant' },
      orderBy: { position: 'desc' },
      select: { id: true, parts: true },
    })
    return row ? { id: row.id, role: 'assistant', parts: row.parts as UIMessage['parts'] } : null
  }

  /**
   * A turn on a session as a whole (CometCode has no chat concept): runs on the session's primary
   * chat. Any active run on that chat, whatever its kind, makes the session `session_running`.
   */
  async startOnSession(
    caller: Caller,
    sessionId: string,
    input: Omit<StartOnChatInput, 'chatId' | 'ifBusy'>,
  ): Promise<Run> {
    const chatId = await this.primaryChatId(caller, sessionId, { refuseArchived: true })
    const busy = (activeRunId: string | undefined) =>
      new AppError('conflict', 'session_running', `session ${sessionId} already running`, { activeRunId })
    // Checked first so that a busy session writes nothing (not even the title); the engine's
    // chat lock below still decides races.
    const active = await this.engine.activeRunForChat(caller.accountId, chatId)
    if (active) throw busy(active.id)
    try {
      return await this.startOnChat(caller, { ...input, chatId, ifBusy: 'reject' })
    } catch (err) {
      if (isAppError(err) && err.code === 'chat_busy') throw busy(err.details.activeRunId)
      throw err
    }
  }

  /** Requests cancellation of the session's active run; `session_not_running` when it has none. */
  async cancelSessionRun(caller: Caller, sessionId: string): Promise<Run> {
    const chatId = await this.primaryChatId(caller, sessionId)
    const active = await this.engine.activeRunForChat(caller.accountId, chatId)
    if (!active) throw new AppError('conflict', 'session_not_running', 'session is not currently running')
    return this.engine.cancelRun(caller.accountId, active.id)
  }

  /** The session's first chat (404 `session_not_found` for unknown or foreign sessions). */
  private async primaryChatId(
    caller: Caller,
    sessionId: string,
    opts: { refuseArchived?: boolean } = {},
  ): Promise<string> {
    const session = await this.sessions.get(caller, sessionId)
    if (opts.refuseArchived && session.lifecycleState === 'archived') throw sessionArchived(sessionId)
    const chat = await this.prisma.chat.findFirst({
      where: { sessionId, accountId: caller.accountId },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    })
    if (!chat) throw notFound('session_not_found', `Session ${sessionId} has no chat`)
    return chat.id
  }

  /**
   * `POST /api/chat/runs` semantics: continue a chat/session, or provision a new session + chat.
   * `chatId` may also be the id a client gave a chat (`POST /api/chat` from `useChat`): a chat
   * of that client id is continued, or created with it.
   */
  async startChatRun(caller: Caller, input: StartChatRunInput, kind: RunKind = 'async'): Promise<ChatRunStarted> {
    const messages = input.prompt !== undefined ? [userTextMessage(input.prompt.trim())] : (input.messages ?? [])
    if (input.model) this.runtime.models.resolve(input.model)
    let chatId: string | undefined
    let newChatClientId: string | undefined
    if (input.chatId) {
      const chat = await findChat(this.prisma, caller, input.chatId)
      if (chat && input.sessionId && chat.sessionId !== input.sessionId)
        throw notFound('chat_not_found', `Chat ${input.chatId} was not found`)
      if (chat) chatId = chat.id
      else if (isChatId(input.chatId) || input.sessionId)
        throw notFound('chat_not_found', `Chat ${input.chatId} was not found`)
      else newChatClientId = input.chatId
    }
    if (!chatId && input.sessionId) {
      const session = await this.sessions.get(caller, input.sessionId)
      if (session.lifecycleState === 'archived') throw sessionArchived(session.id)
      const chat = await this.prisma.chat.findFirst({
        where: { sessionId: input.sessionId },
        orderBy: { updatedAt: 'desc' },
      })
      chatId =
        chat?.id ??
        (
          await this.prisma.chat.create({
            data: { id: newId('chat'), sessionId: input.sessionId, accountId: caller.accountId },
          })
        ).id
    } else if (!chatId) {
      assertAccountWide(caller, 'start runs in a new session (name its sessionId or chatId)')
      // A new session + chat, created in the same transaction as the run.
      const model = this.runtime.models.resolve(input.model)
      const firstText = messages.flatMap((m) => m.parts).find((p) => p.type === 'text')
      try {
        const run = await this.engine.startRun({
          accountId: caller.accountId,
          keyId: rateLimitedKey(caller),
          chatId: newId('chat'),
          kind,
          model: model.id,
          input: { messages },
          provision: {
            sessionId: newId('session'),
            title: firstText && 'text' in firstText ? titleFrom(firstText.text) : '',
            sandboxType: this.runtime.defaultSandbox,
            modelId: model.id,
            providerId: model.providerId,
            chatClientId: newChatClientId,
          },
          surface: caller.surface,
        })
        return { run, chatId: run.chatId, sessionId: run.sessionId }
      } catch (err) {
        // Another request created the chat of this client id first: continue that one.
        if (newChatClientId && isUniqueViolation(err)) return this.startChatRun(caller, input, kind)
        throw err
      }
    }
    const run = await this.startOnChat(caller, { kind, chatId, model: input.model, messages, ifBusy: input.ifBusy })
    return { run, chatId, sessionId: run.sessionId }
  }

  /**
   * A run of the caller; 404 `run_not_found` for unknown, foreign and (run keys) out-of-session
   * runs. An org key also finds the runs of its org's members (those it started for them).
   */
  async get(caller: Caller, runId: string): Promise<Run> {
    const run = await this.engine.getRun(await this.runAccount(caller, runId), runId)
    if (!inScope(caller, run.sessionId)) throw runNotFound(runId)
    return run
  }

  /** A page of the caller's runs, newest first; `nextCursor` continues after the page's last run. */
  async list(
    caller: Caller,
    filter: Omit<ListRunsFilter, 'before'> & { cursor?: string } = {},
  ): Promise<{ runs: Run[]; nextCursor: string | null }> {
    if (caller.sessionId && filter.sessionId && filter.sessionId !== caller.sessionId)
      return { runs: [], nextCursor: null }
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500)
    const { cursor, ...rest } = filter
    const rows = await this.engine.listRuns(caller.accountId, {
      ...rest,
      ...(caller.sessionId ? { sessionId: caller.sessionId } : {}),
      ...(cursor ? { before: cursor } : {}),
      limit: limit + 1,
    })
    return { runs: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null }
  }

  /** Idempotent in every state; waits up to `waitMs` for a running run to stop. */
  async cancel(caller: Caller, runId: string, opts: { waitMs?: number } = {}): Promise<Run> {
    if (caller.sessionId) await this.get(caller, runId)
    return this.engine.cancelRun(await this.runAccount(caller, runId), runId, opts)
  }

  /** The account to look a run up in: the caller's, or for an org key the member account that owns it. */
  private async runAccount(caller: Caller, runId: string): Promise<string> {
    if (!caller.orgId) return caller.accountId
    const owner = await this.prisma.run.findUnique({
      where: { id: runId },
      select: { account: { select: { id: true, orgId: true } } },
    })
    return owner && owner.account.orgId === caller.orgId ? owner.account.id : caller.accountId
  }

  /**
   * A run's stored row (its input and metadata included), found by run id or by response id;
   * null when it is not the caller's or outside a run key's session. For views over runs (the
   * Responses API) that read what the engine stores opaquely.
   */
  async findStored(caller: Caller, where: { id: string } | { responseId: string }): Promise<StoredRun | null> {
    const row = await this.prisma.run.findFirst({ where: { ...where, accountId: caller.accountId } })
    return row && inScope(caller, row.sessionId) ? row : null
  }

  /** Clears the run's response id (the response is deleted; the run stays). False when it was not set to `responseId`. */
  async releaseResponseId(caller: Caller, runId: string, responseId: string): Promise<boolean> {
    const { count } = await this.prisma.run.updateMany({
      where: { id: runId, accountId: caller.accountId, responseId },
      data: { responseId: null },
    })
    return count > 0
  }

  /** The chat's queued or running run, or null. */
  async activeForChat(caller: Caller, chatId: string): Promise<Run | null> {
    const run = await this.engine.activeRunForChat(caller.accountId, chatId)
    return run && inScope(caller, run.sessionId) ? run : null
  }

  /** Resolves with the run once it has one of `statuses`, or as it is when `timeoutMs` passes. */
  waitForStatus(
    caller: Caller,
    runId: string,
    statuses: RunStatus[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Run> {
    return this.engine.waitForStatus(caller.accountId, runId, statuses, timeoutMs, signal)
  }

  /** The run's log after `afterSeq`, replayed then tailed until its `done` (or `signal`). */
  async *events(caller: Caller, runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredRunEvent> {
    yield* this.engine.streamRunEvents(await this.logAccount(caller, runId), runId, afterSeq, signal)
  }

  /** The same in pages of pre-serialised StoredRunEvent JSON (cheap forwarding). */
  async *eventFrames(
    caller: Caller,
    runId: string,
    afterSeq: number,
    signal?: AbortSignal,
  ): AsyncGenerator<RunEventFrame[]> {
    yield* this.engine.streamRunEventFrames(await this.logAccount(caller, runId), runId, afterSeq, signal)
  }

  /** The whole stored log, without tailing. */
  async log(caller: Caller, runId: string): Promise<StoredRunEvent[]> {
    return this.engine.readRunLog(await this.logAccount(caller, runId), runId)
  }

  /**
   * The account whose run log to read. The engine checks that the run is that account's as it
   * opens the log, so callers need not `get` the run first (that would read it twice); only a run
   * key's session is checked here, which needs the run.
   */
  private async logAccount(caller: Caller, runId: string): Promise<string> {
    return caller.sessionId ? (await this.get(caller, runId)).accountId : this.runAccount(caller, runId)
  }

  /** Live run changes (created, status) of the caller's account; returns the unsubscribe function. */
  onChange(caller: Caller, fn: (change: RunChange) => void): () => void {
    assertAccountWide(caller, "watch its account's runs")
    return this.engine.onRunChange(caller.accountId, fn)
  }
}

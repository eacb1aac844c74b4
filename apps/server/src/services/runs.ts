// Starting runs for the surfaces: resolves the chat (or provisions a session + chat), checks the
// model, picks the messages that are new to the transcript, and admits the run on the engine.
// Provisioning a new session + chat happens inside the engine's admission transaction, so a
// failure at any step leaves no session, chat, run or key behind. An archived session is refused
// (`session_archived`) up front, so nothing is written for it (title, new chat); the engine's
// admission decides races with a concurrent archive.
import { AppError, isAppError, newId, notFound, sessionArchived, type Run, type RunKind, type StartChatRunInput, type UIMessage } from '@runyard/contract'
import type { Engine } from '@runyard/engine'
import type { PrismaClient } from '@runyard/db'
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
  ifBusy?: 'reject' | 'enqueue'
  runId?: string
  responseId?: string
  previousResponseId?: string
  metadata?: Record<string, unknown>
}

export interface ChatRunStarted {
  run: Run
  chatId: string
  sessionId: string
}

export class RunService {
  constructor(
    private readonly prisma: PrismaClient,
    readonly engine: Engine,
    private readonly sessions: SessionService,
    private readonly runtime: RuntimeInfo,
  ) {}

  async startOnChat(accountId: string, input: StartOnChatInput): Promise<Run> {
    const chat = await this.prisma.chat.findFirst({ where: { id: input.chatId, accountId }, include: { session: true } })
    if (!chat) throw notFound('chat_not_found', `Chat ${input.chatId} was not found`)
    if (chat.session.lifecycleState === 'archived') throw sessionArchived(chat.sessionId)
    const model = this.runtime.models.resolve(input.model ?? chat.session.modelId, input.model ? input.providerId : chat.session.providerId)
    const known = new Set((await this.prisma.message.findMany({ where: { chatId: chat.id }, select: { id: true } })).map((m) => m.id))
    const fresh = (input.messages ?? []).filter((m) => !known.has(m.id))
    const firstUserText = fresh.find((m) => m.role === 'user')?.parts.find((p) => p.type === 'text')
    if (firstUserText && 'text' in firstUserText && !known.size) await this.sessions.titleFromFirstMessage(chat.sessionId, firstUserText.text)
    return this.engine.startRun({
      accountId,
      chatId: chat.id,
      kind: input.kind,
      model: model.id,
      input: { messages: fresh, ...(input.instructions ? { instructions: input.instructions } : {}) },
      ifBusy: input.ifBusy,
      runId: input.runId,
      responseId: input.responseId,
      previousResponseId: input.previousResponseId,
      metadata: input.metadata,
    })
  }

  /**
   * A turn on a session as a whole (CometCode has no chat concept): runs on the session's primary
   * chat. Any active run on that chat, whatever its kind, makes the session `session_running`.
   */
  async startOnSession(accountId: string, sessionId: string, input: Omit<StartOnChatInput, 'chatId' | 'ifBusy'>): Promise<Run> {
    const chatId = await this.primaryChatId(accountId, sessionId, { refuseArchived: true })
    const busy = (activeRunId: string | undefined) => new AppError('conflict', 'session_running', `session ${sessionId} already running`, { activeRunId })
    // Checked first so that a busy session writes nothing (not even the title); the engine's
    // chat lock below still decides races.
    const active = await this.engine.activeRunForChat(accountId, chatId)
    if (active) throw busy(active.id)
    try {
      return await this.startOnChat(accountId, { ...input, chatId, ifBusy: 'reject' })
    } catch (err) {
      if (isAppError(err) && err.code === 'chat_busy') throw busy(err.details.activeRunId)
      throw err
    }
  }

  /** Requests cancellation of the session's active run; `session_not_running` when it has none. */
  async cancelSessionRun(accountId: string, sessionId: string): Promise<Run> {
    const chatId = await this.primaryChatId(accountId, sessionId)
    const active = await this.engine.activeRunForChat(accountId, chatId)
    if (!active) throw new AppError('conflict', 'session_not_running', 'session is not currently running')
    return this.engine.cancelRun(accountId, active.id)
  }

  /** The session's first chat (404 `session_not_found` for unknown or foreign sessions). */
  private async primaryChatId(accountId: string, sessionId: string, opts: { refuseArchived?: boolean } = {}): Promise<string> {
    const session = await this.sessions.get(accountId, sessionId)
    if (opts.refuseArchived && session.lifecycleState === 'archived') throw sessionArchived(sessionId)
    const chat = await this.prisma.chat.findFirst({ where: { sessionId, accountId }, orderBy: { createdAt: 'asc' }, select: { id: true } })
    if (!chat) throw notFound('session_not_found', `Session ${sessionId} has no chat`)
    return chat.id
  }

  /** `POST /api/chat/runs` semantics: continue a chat/session, or provision a new session + chat. */
  async startChatRun(accountId: string, input: StartChatRunInput, kind: RunKind = 'async'): Promise<ChatRunStarted> {
    const messages = input.prompt !== undefined ? [userTextMessage(input.prompt.trim())] : (input.messages ?? [])
    if (input.model) this.runtime.models.resolve(input.model)
    let chatId = input.chatId
    if (chatId) {
      const chat = await this.prisma.chat.findFirst({ where: { id: chatId, accountId } })
      if (!chat || (input.sessionId && chat.sessionId !== input.sessionId)) throw notFound('chat_not_found', `Chat ${chatId} was not found`)
    } else if (input.sessionId) {
      const session = await this.sessions.get(accountId, input.sessionId)
      if (session.lifecycleState === 'archived') throw sessionArchived(session.id)
      const chat = await this.prisma.chat.findFirst({ where: { sessionId: input.sessionId }, orderBy: { updatedAt: 'desc' } })
      chatId = chat?.id ?? (await this.prisma.chat.create({ data: { id: newId('chat'), sessionId: input.sessionId, accountId } })).id
    } else {
      // A new session + chat, created in the same transaction as the run.
      const model = this.runtime.models.resolve(input.model)
      const firstText = messages.flatMap((m) => m.parts).find((p) => p.type === 'text')
      const run = await this.engine.startRun({
        accountId,
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
        },
      })
      return { run, chatId: run.chatId, sessionId: run.sessionId }
    }
    const run = await this.startOnChat(accountId, { kind, chatId, model: input.model, messages, ifBusy: input.ifBusy })
    return { run, chatId, sessionId: run.sessionId }
  }
}

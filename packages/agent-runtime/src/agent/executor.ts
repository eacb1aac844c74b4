// The RunExecutor the engine calls for every run: resolve the model, open the session's
// sandbox, discover skills, rebuild history (cut back to the last checkpoint when resuming),
// run the agent loop, persist the assistant message and a checkpoint after every step, and
// turn whatever happened into a RunOutcome. Model failures never escape as exceptions.
import {
  assistantMessageIdForRun,
  type RunContext,
  type RunExecutor,
  type RunOutcome,
  type UIMessage,
} from '@runyard/contract'
import {
  convertToModelMessages,
  type LanguageModel,
  type ModelMessage,
  type TelemetryOptions,
  type ToolSet,
  type UIMessage as AiUIMessage,
} from 'ai'
import type { ModelRegistry } from '../models/registry.ts'
import { discoverSkills } from '../skills/discover.ts'
import type { Skill } from '../skills/types.ts'
import {
  ASK_USER_TOOL,
  createTools,
  DEFAULT_FETCH_POLICY,
  DEFAULT_TOOL_LIMITS,
  type FetchPolicy,
  type SubAgentRequest,
  type ToolEnvironment,
  type ToolLimits,
} from '../tools/index.ts'
import { errorMessage } from '../tools/text.ts'
import { readCheckpoint, type AgentCheckpoint } from './checkpoint.ts'
import { clientToolSet, guardedDownload, parallelToolCallOptions, toolChoiceOf } from './client-tools.ts'
import { runAgentLoop, type LoopResult } from './loop.ts'
import { agentPartsOf, MessageBuilder } from './message-builder.ts'
import { openRunSandbox, type RunSandbox, type SandboxProviders, type WorkspaceGuard } from './run-sandbox.ts'
import { buildSystemPrompt, type PromptContext } from './system-prompt.ts'
import { DEFAULT_MAX_STEPS, DEFAULT_SUBAGENT_MAX_STEPS } from './step-limits.ts'

export { DEFAULT_MAX_STEPS, DEFAULT_SUBAGENT_MAX_STEPS } from './step-limits.ts'

export interface AgentLogger {
  warn(obj: object, msg?: string): void
}

export interface AgentExecutorOptions {
  models: ModelRegistry
  /** Providers by session sandboxType; a session whose type is missing gets tool errors saying what to configure. */
  sandboxes: SandboxProviders
  /** Parent folder of per-session workspaces for local/host sessions without a registered workspace. */
  workspacesRoot: string
  /** The server's rules for registered workspace folders, checked again each time a sandbox opens one. */
  workspaceGuard?: WorkspaceGuard
  /** Step budget of a run. Default 50. */
  maxSteps?: number
  /** Step budget of each `task` sub-agent. Default 25. */
  subAgentMaxSteps?: number
  fetch?: Partial<FetchPolicy>
  limits?: Partial<ToolLimits>
  /** AI SDK retries of a failed model call. Default 2. */
  maxRetries?: number
  /**
   * Whether model calls' spans (when an AI SDK telemetry integration is registered: tracing on)
   * record prompts, outputs and tool arguments and results. Default false: they can hold anything
   * the workspace or the conversation holds.
   */
  traceContent?: boolean
  log?: AgentLogger
}

/** A promise chain: each call runs after the previous one settled. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>) => {
    const next = tail.then(fn, fn)
    tail = next.catch(() => undefined)
    return next
  }
}

const CANCELLED_TOOL = 'The run was stopped before this tool call finished.'
const FAILED_TOOL = 'The run failed before this tool call finished.'

interface Prepared {
  ctx: RunContext
  /** One write lock per run, shared with its sub-agents. */
  serializeWrites: ToolEnvironment['serializeWrites']
  model: LanguageModel
  rs: RunSandbox
  skills: Skill[]
  prompt: PromptContext
  /** The chat's stored messages, loaded while the sandbox opened. */
  stored: Promise<UIMessage[]>
}

export function createAgentExecutor(opts: AgentExecutorOptions): RunExecutor {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS
  const subAgentMaxSteps = opts.subAgentMaxSteps ?? DEFAULT_SUBAGENT_MAX_STEPS
  const limits: ToolLimits = { ...DEFAULT_TOOL_LIMITS, ...opts.limits }
  const fetchPolicy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, ...opts.fetch }
  const maxRetries = opts.maxRetries ?? 2
  const warn = (message: string, err?: unknown) => opts.log?.warn(err === undefined ? {} : { err }, message)

  const loopDefaults = { maxRetries, maxEventOutputChars: limits.maxOutputChars }
  const recordContent = opts.traceContent ?? false
  /** The loop's telemetry options; `functionId` names its `invoke_agent` span. */
  const telemetry = (functionId: string): TelemetryOptions => ({
    functionId,
    recordInputs: recordContent,
    recordOutputs: recordContent,
  })

  function toolEnv(p: Prepared, runSubAgent?: ToolEnvironment['runSubAgent']): ToolEnvironment {
    return {
      sandbox: () => p.rs.require(),
      serializeWrites: p.serializeWrites,
      secrets: [p.ctx.apiKey],
      limits,
      fetchPolicy,
      skills: p.skills,
      loadTodos: () => p.ctx.loadTodos(),
      saveTodos: (t) => p.ctx.saveTodos(t),
      ...(runSubAgent ? { runSubAgent } : {}),
    }
  }

  /** `task`: a fresh loop with its own budget, nested events, no task/ask tools. */
  function subAgentRunner(p: Prepared): (req: SubAgentRequest) => Promise<string> {
    const tools = createTools(toolEnv(p), { interactive: false })
    return async (req) => {
      const builder = new MessageBuilder(`sub_${req.toolCallId}`)
      const result = await runAgentLoop({
        ...loopDefaults,
        model: p.model,
        instructions: buildSystemPrompt({ ...p.prompt, subAgent: { description: req.description } }),
        messages: [{ role: 'user', content: req.prompt }],
        tools,
        maxSteps: subAgentMaxSteps,
        telemetry: telemetry('runyard.subagent'),
        signal: req.signal ?? p.ctx.signal,
        emit: (e) => p.ctx.emit({ ...e, parentToolCallId: req.toolCallId }),
        builder,
      })
      if (result.status === 'cancelled') throw new Error('The sub-agent was stopped')
      if (result.status === 'failed') throw new Error(`The sub-agent failed: ${result.message}`)
      return (
        builder.lastStepText() ||
        `The sub-agent stopped (step limit ${subAgentMaxSteps} or no final text) without a final answer.`
      )
    }
  }

  async function history(tools: ToolSet, prior: UIMessage[], own: UIMessage | null): Promise<ModelMessage[]> {
    // Past reasoning stays in the transcript for people to read but is not sent back: the
    // OpenAI-style providers cannot use reasoning without their own server-side item ids.
    const messages = (own ? [...prior, own] : prior).map((m) =>
      m.role === 'assistant' ? { ...m, parts: m.parts.filter((p) => p.type !== 'reasoning') } : m,
    )
    // The contract's UIMessage is the AI SDK's, validated by zod; the types differ only in
    // how precisely each part is spelled out.
    return convertToModelMessages(messages as unknown as AiUIMessage[], { tools, ignoreIncompleteToolCalls: true })
  }

  async function run(p: Prepared): Promise<RunOutcome> {
    const { ctx } = p
    const messageId = assistantMessageIdForRun(ctx.run.id)
    const stored = await p.stored
    const checkpoint = ctx.resume ? readCheckpoint(ctx.resume.checkpoint, messageId) : null
    const ownIndex = stored.findIndex((m) => m.id === messageId)
    const own = ownIndex >= 0 ? stored[ownIndex] : undefined
    const prior = stored.filter((m) => m.id !== messageId)
    // Resuming: keep exactly the parts of the completed steps; anything else is redone.
    const kept = checkpoint && own ? agentPartsOf({ ...own, parts: own.parts.slice(0, checkpoint.parts) }) : []
    const builder = new MessageBuilder(messageId, kept)
    const stepsDone = checkpoint?.steps ?? 0
    // What the transcript holds of the message: storing the same message again (after the loop,
    // when the last step's checkpoint already stored everything) is skipped, a statement less.
    let savedJson: string | undefined
    /** The message if it changed since it was last stored, and what to remember once it is. */
    const unsaved = (): { message: UIMessage; json: string } | null => {
      const message = builder.message()
      const json = JSON.stringify(message)
      return json === savedJson ? null : { message, json }
    }
    const save = async () => {
      const changed = unsaved()
      if (!changed) return
      await ctx.saveMessages([changed.message])
      savedJson = changed.json
    }

    if (checkpoint?.finished || stepsDone >= maxSteps) return { status: 'completed' }

    const input = ctx.run.input
    const clientTools = new Set((input.clientTools ?? []).map((t) => t.name))
    const tools = {
      ...createTools(toolEnv(p, subAgentRunner(p)), { interactive: true }),
      ...clientToolSet(input.clientTools),
    }
    const messages = await history(tools, prior, kept.length > 0 ? builder.message() : null)
    if (messages.length === 0)
      return { status: 'failed', error: { code: 'internal', message: 'The chat has no messages to respond to.' } }
    let steps = stepsDone
    let result: LoopResult
    try {
      result = await runAgentLoop({
        ...loopDefaults,
        model: p.model,
        instructions: buildSystemPrompt(p.prompt),
        messages,
        tools,
        maxSteps: maxSteps - stepsDone,
        stopOnTools: [ASK_USER_TOOL],
        clientTools,
        toolChoice: toolChoiceOf(input),
        providerOptions: parallelToolCallOptions(input),
        sampling: input.sampling,
        download: guardedDownload(fetchPolicy),
        telemetry: telemetry('runyard.agent'),
        signal: ctx.signal,
        emit: (e) => ctx.emit(e),
        builder,
        onStepEnd: async ({ continues, emitStepFinish }) => {
          steps++
          const changed = unsaved()
          const state: AgentCheckpoint = { v: 1, messageId, steps, parts: builder.partCount, finished: !continues }
          // Same tick: the step_finish, its checkpoint and the message it points into are written
          // in one statement (a resume never finds a checkpoint ahead of the saved message).
          emitStepFinish()
          await ctx.checkpoint(state, changed ? [changed.message] : undefined)
          if (changed) savedJson = changed.json
        },
      })
    } finally {
      // whatever happened, the transcript gets what was produced (partial text included)
      builder.finalize(ctx.signal.aborted ? CANCELLED_TOOL : FAILED_TOOL, ctx.signal.aborted ? undefined : clientTools)
    }
    if (builder.hasContent() || own) {
      await ctx.flush()
      await save()
    }
    if (result.status === 'failed') return { status: 'failed', error: { code: 'llm', message: result.message } }
    return result
  }

  return {
    async execute(ctx) {
      let model: LanguageModel
      try {
        model = opts.models.resolve(ctx.run.model, ctx.session.providerId).model
      } catch (e) {
        return { status: 'failed', error: { code: 'llm', message: errorMessage(e) } }
      }
      // The transcript is read while the sandbox opens: neither needs the other.
      const stored = ctx.loadMessages()
      stored.catch(() => {}) // awaited by run(); not when opening the sandbox failed or the run was cancelled
      const rs = await openRunSandbox(ctx, {
        providers: opts.sandboxes,
        workspacesRoot: opts.workspacesRoot,
        workspaceGuard: opts.workspaceGuard,
        warn,
      })
      try {
        if (ctx.signal.aborted) return { status: 'cancelled' }
        const skills = await discoverSkills(rs.sandbox, ctx.session.globalSkillRefs, (m) => warn(`skills: ${m}`))
        const prompt: PromptContext = {
          sandboxKind: rs.sandbox?.kind ?? null,
          workspaceDir: rs.sandbox?.workspaceDir ?? null,
          ...(rs.problem ? { sandboxProblem: rs.problem } : {}),
          skills,
          ...(ctx.run.input.instructions ? { runInstructions: ctx.run.input.instructions } : {}),
        }
        return await run({ ctx, model, rs, skills, prompt, stored, serializeWrites: createMutex() })
      } finally {
        // stops commands still running (an aborted bash) before the engine records the outcome
        await rs.close().catch((e: unknown) => warn('closing the sandbox failed', e))
      }
    },
  }
}

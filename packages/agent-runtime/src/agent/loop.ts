// One agent loop: streamText with tools and a step budget, every stream part mapped to a
// RunEvent and into the assistant message being built. Used for the run itself and, with
// parentToolCallId set, for `task` sub-agents. Model and tool failures never throw: provider
// errors come back as `failed` (code llm), an abort as `cancelled`, a failing tool as an
// isError tool result the model sees. Only a failing onStepEnd (persistence) is rethrown.
import type { ExecutorEvent, Sampling, StepUsage } from '@runyard/contract'
import {
  APICallError,
  hasToolCall,
  isStepCount,
  RetryError,
  streamText,
  type Experimental_DownloadFunction as DownloadFunction,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type StopCondition,
  type TelemetryOptions,
  type ToolChoice,
  type ToolSet,
} from 'ai'
import { capHead, errorMessage, stringify } from '../tools/text.ts'
import type { ProviderOptions } from './client-tools.ts'
import type { MessageBuilder } from './message-builder.ts'

export interface StepEnd {
  usage: StepUsage
  /** Whether the loop will call the model again after this step. */
  continues: boolean
  /**
   * Emits the step's step_finish. The hook calls it once the step is saved, right before its
   * checkpoint in the same tick, so that the event log never holds a step_finish without the
   * checkpoint that lets a resumed attempt skip the step (it would redo the step, unmarked).
   */
  emitStepFinish(): void
}

export interface LoopOptions {
  model: LanguageModel
  instructions: string
  messages: ModelMessage[]
  tools: ToolSet
  /** Steps this loop may still take (≥ 1). */
  maxSteps: number
  /** Tools whose call ends the loop after the step (ask_user_question). */
  stopOnTools?: string[]
  /** Names of the client's own tools (no `execute`): a call to one ends the loop, pending. */
  clientTools?: ReadonlySet<string>
  toolChoice?: ToolChoice<ToolSet>
  providerOptions?: ProviderOptions
  sampling?: Sampling
  /** Fetches files for models that cannot fetch a URL themselves. */
  download?: DownloadFunction
  /** What this loop reports to a registered AI SDK telemetry integration (traces); nothing is reported without one. */
  telemetry?: TelemetryOptions
  signal: AbortSignal
  maxRetries: number
  /** Cap on tool_result output in events. */
  maxEventOutputChars: number
  emit(event: ExecutorEvent): void
  builder: MessageBuilder
  /** Persists each completed step; emits its step_finish through `step.emitStepFinish`. Without it, the loop emits step_finish itself. */
  onStepEnd?(step: StepEnd): Promise<void>
}

export type LoopResult = { status: 'completed' } | { status: 'failed'; message: string } | { status: 'cancelled' }

export function usageOf(u: LanguageModelUsage | undefined): StepUsage {
  return {
    input_tokens: u?.inputTokens ?? 0,
    output_tokens: u?.outputTokens ?? 0,
    cache_read: u?.inputTokenDetails?.cacheReadTokens ?? 0,
    cache_write: u?.inputTokenDetails?.cacheWriteTokens ?? 0,
  }
}

/** A provider error as one line a user can act on. */
export function describeModelError(err: unknown): string {
  const e = RetryError.isInstance(err) ? (err.lastError ?? err) : err
  if (APICallError.isInstance(e)) {
    return `The model provider returned an error${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}: ${e.message}`
  }
  return `The model call failed: ${errorMessage(e)}`
}

export async function runAgentLoop(opts: LoopOptions): Promise<LoopResult> {
  const { builder, emit, signal } = opts
  if (signal.aborted) return { status: 'cancelled' }
  const clientTools = opts.clientTools ?? new Set<string>()
  const stopOn = [...(opts.stopOnTools ?? []), ...clientTools]
  const stopWhen: StopCondition<ToolSet>[] = [isStepCount(opts.maxSteps), ...stopOn.map((t) => hasToolCall(t))]
  let failure: string | undefined
  let aborted = false
  let steps = 0
  let stepToolNames: string[] = []
  let stepFailed = false
  let hookError: { error: unknown } | undefined

  const result = streamText({
    model: opts.model,
    instructions: opts.instructions,
    messages: opts.messages,
    // system messages a client put into the chat are part of the conversation it asked for
    allowSystemInMessages: true,
    tools: opts.tools,
    ...opts.sampling,
    ...(opts.toolChoice ? { toolChoice: opts.toolChoice } : {}),
    ...(opts.providerOptions ? { providerOptions: opts.providerOptions } : {}),
    ...(opts.download ? { experimental_download: opts.download } : {}),
    ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
    stopWhen,
    abortSignal: signal,
    maxRetries: opts.maxRetries,
    // errors arrive as `error` parts below; the default handler would also log them
    onError: () => {},
  })

  try {
    stream: for await (const part of result.fullStream) {
      switch (part.type) {
        case 'start-step':
          stepToolNames = []
          stepFailed = false
          builder.startStep()
          break
        // Text and reasoning stream alike; only their events differ.
        case 'text-start':
        case 'reasoning-start':
          builder.startText(part.type === 'text-start' ? 'text' : 'reasoning', part.id)
          if (part.type === 'reasoning-start') emit({ type: 'reasoning_start' })
          break
        case 'text-delta':
        case 'reasoning-delta':
          if (part.text.length === 0) break
          builder.appendText(part.type === 'text-delta' ? 'text' : 'reasoning', part.id, part.text)
          emit(
            part.type === 'text-delta'
              ? { type: 'text_delta', delta: part.text }
              : { type: 'reasoning_delta', text: part.text },
          )
          break
        case 'text-end':
        case 'reasoning-end':
          builder.endText(part.type === 'text-end' ? 'text' : 'reasoning', part.id)
          break
        case 'tool-call':
          stepToolNames.push(part.toolName)
          builder.toolCall(part.toolCallId, part.toolName, part.input)
          emit({
            type: 'tool_call',
            id: part.toolCallId,
            tool: part.toolName,
            input: part.input,
            ...(clientTools.has(part.toolName) ? { client: true as const } : {}),
          })
          break
        case 'tool-result': {
          builder.toolResult(part.toolCallId, part.output)
          emit({
            type: 'tool_result',
            id: part.toolCallId,
            tool: part.toolName,
            output: capHead(stringify(part.output), opts.maxEventOutputChars),
            isError: false,
          })
          break
        }
        case 'tool-error': {
          const text = errorMessage(part.error)
          builder.toolError(part.toolCallId, text)
          emit({
            type: 'tool_result',
            id: part.toolCallId,
            tool: part.toolName,
            output: capHead(text, opts.maxEventOutputChars),
            isError: true,
          })
          break
        }
        case 'finish-step': {
          steps++
          const usage = usageOf(part.usage)
          const emitStepFinish = () => emit({ type: 'step_finish', usage })
          if (stepFailed || !opts.onStepEnd) {
            emitStepFinish()
            break
          }
          const continues =
            part.finishReason === 'tool-calls' &&
            !stepToolNames.some((t) => stopOn.includes(t)) &&
            steps < opts.maxSteps
          try {
            await opts.onStepEnd({ usage, continues, emitStepFinish })
          } catch (error) {
            // persisting failed (database, lost claim): not a model error, let the caller see it
            hookError = { error }
            break stream
          }
          break
        }
        case 'error':
          stepFailed = true
          failure ??= describeModelError(part.error)
          break
        case 'abort':
          aborted = true
          break
        default:
          break // tool-input-*, sources, files, start/finish, raw: nothing to record
      }
    }
  } catch (err) {
    // fullStream itself failing (rare: our own callbacks, a broken stream)
    if (signal.aborted) aborted = true
    else failure ??= describeModelError(err)
  }
  if (hookError) throw hookError.error
  if (aborted || signal.aborted) return { status: 'cancelled' }
  if (failure) return { status: 'failed', message: failure }
  return { status: 'completed' }
}

// A RunExecutor for engine and surface tests (never product code). It follows a script given in
// the run's last user message as JSON `{"script":[...]}` (so any surface can drive it), or one
// passed to the constructor. Resumes after the last completed step on a retried attempt.
import type { RunContext, RunExecutor, RunOutcome, RunErrorCode } from '@runyard/contract'

export type ScriptStep =
  | { text: string; chunks?: number; delayMs?: number }
  | { reasoning: string }
  | { tool: string; input?: unknown; output?: string; isError?: boolean }
  /** A `task` tool call whose sub-agent streams `text` and finishes one (nested) step; no result yet. */
  | { subAgent: string }
  /** Ends a step: step_finish with usage, then a checkpoint (the resume point). */
  | { step: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number } }
  | { sleep: number }
  | { hang: true }
  | { fail: RunErrorCode; message?: string }
  | { throw: string }
  /** Emits `count` text deltas as fast as possible (throughput benchmarks). */
  | { burst: number; size?: number }

export const DEFAULT_SCRIPT: ScriptStep[] = [{ text: 'ok' }, { step: { input: 10, output: 2 } }]

export function scriptFromMessages(ctx: RunContext): ScriptStep[] | undefined {
  const last = [...(ctx.run.input.messages ?? [])].reverse().find((m) => m.role === 'user')
  const text = last?.parts.find((p): p is { type: 'text'; text: string } => p.type === 'text')?.text
  if (!text) return undefined
  try {
    const parsed = JSON.parse(text) as { script?: ScriptStep[] }
    return Array.isArray(parsed.script) ? parsed.script : undefined
  } catch {
    return undefined
  }
}

export const scriptPrompt = (script: ScriptStep[]) => JSON.stringify({ script })

export interface ScriptedExecutorOptions {
  script?: ScriptStep[] | ((ctx: RunContext) => ScriptStep[] | undefined)
  /** Called with every context (tests inspect apiKey, resume, session). */
  onStart?: (ctx: RunContext) => void
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => (clearTimeout(t), reject(signal.reason))
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })

export class ScriptedExecutor implements RunExecutor {
  constructor(private readonly opts: ScriptedExecutorOptions = {}) {}

  async execute(ctx: RunContext): Promise<RunOutcome> {
    this.opts.onStart?.(ctx)
    const fromOpts = typeof this.opts.script === 'function' ? this.opts.script(ctx) : this.opts.script
    const script = fromOpts ?? scriptFromMessages(ctx) ?? DEFAULT_SCRIPT
    const done = (ctx.resume?.checkpoint as { steps?: number } | null)?.steps ?? 0
    // Skip the steps completed by earlier attempts.
    let start = 0
    for (let completed = 0; start < script.length && completed < done; start++)
      if ('step' in script[start]!) completed++
    let steps = done
    try {
      for (const s of script.slice(start)) {
        if ('text' in s) {
          const n = Math.max(1, s.chunks ?? 1)
          const size = Math.ceil(s.text.length / n)
          for (let i = 0; i < s.text.length; i += size) {
            ctx.emit({ type: 'text_delta', delta: s.text.slice(i, i + size) })
            if (s.delayMs) await sleep(s.delayMs, ctx.signal)
          }
        } else if ('reasoning' in s) {
          ctx.emit({ type: 'reasoning_start' })
          ctx.emit({ type: 'reasoning_delta', text: s.reasoning })
        } else if ('tool' in s) {
          const id = `call_${steps}_${s.tool}`
          ctx.emit({ type: 'tool_call', id, tool: s.tool, input: s.input ?? {} })
          ctx.emit({ type: 'tool_result', id, tool: s.tool, output: s.output ?? '', isError: s.isError ?? false })
        } else if ('subAgent' in s) {
          const parentToolCallId = `call_${steps}_task`
          ctx.emit({ type: 'tool_call', id: parentToolCallId, tool: 'task', input: { prompt: s.subAgent } })
          ctx.emit({ type: 'text_delta', delta: s.subAgent, parentToolCallId })
          ctx.emit({
            type: 'step_finish',
            usage: { input_tokens: 1, output_tokens: 1, cache_read: 0, cache_write: 0 },
            parentToolCallId,
          })
        } else if ('step' in s) {
          ctx.emit({
            type: 'step_finish',
            usage: {
              input_tokens: s.step.input ?? 0,
              output_tokens: s.step.output ?? 0,
              cache_read: s.step.cacheRead ?? 0,
              cache_write: s.step.cacheWrite ?? 0,
            },
          })
          await ctx.checkpoint({ steps: ++steps })
        } else if ('sleep' in s) await sleep(s.sleep, ctx.signal)
        else if ('hang' in s) await sleep(2 ** 31 - 1, ctx.signal)
        else if ('fail' in s)
          return { status: 'failed', error: { code: s.fail, message: s.message ?? `scripted ${s.fail} failure` } }
        else if ('throw' in s) throw new Error(s.throw)
        else if ('burst' in s) {
          const delta = 'x'.repeat(s.size ?? 16)
          for (let i = 0; i < s.burst; i++) {
            ctx.emit({ type: 'text_delta', delta })
            if (i % 500 === 499) await new Promise((r) => setImmediate(r))
          }
        }
      }
    } catch (err) {
      if (ctx.signal.aborted) {
        await ctx.flush()
        return { status: 'cancelled' }
      }
      throw err
    }
    return { status: 'completed' }
  }
}

import { z } from 'zod'
import { RUN_ERROR_CODES } from './errors.ts'

/** The five run states; surfaces rename one only where their protocol demands it. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const
export const RunStatus = z.enum(RUN_STATUSES).meta({ id: 'RunStatus' })
export type RunStatus = z.infer<typeof RunStatus>
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled']
export const isTerminalStatus = (s: RunStatus) => TERMINAL_RUN_STATUSES.includes(s)

export const StepUsage = z
  .object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    cache_read: z.number().int().nonnegative(),
    cache_write: z.number().int().nonnegative(),
  })
  .meta({ id: 'StepUsage' })
export type StepUsage = z.infer<typeof StepUsage>

export const RunErrorCode = z.enum(RUN_ERROR_CODES).meta({ id: 'RunErrorCode' })
export type RunErrorCode = z.infer<typeof RunErrorCode>

/** Present on events produced inside a `task` sub-agent: the id of the parent tool call. */
const nested = { parentToolCallId: z.string().optional() }

export const RunEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('run_status'), status: RunStatus, attempt: z.number().int().optional() }),
    z.object({ type: z.literal('text_delta'), delta: z.string(), ...nested }),
    z.object({ type: z.literal('reasoning_start'), ...nested }),
    z.object({ type: z.literal('reasoning_delta'), text: z.string(), ...nested }),
    z.object({
      type: z.literal('tool_call'),
      id: z.string(),
      tool: z.string(),
      input: z.unknown(),
      /** A client-side tool: no tool_result follows in this run; the client answers the call in a later request. */
      client: z.literal(true).optional(),
      ...nested,
    }),
    z.object({
      type: z.literal('tool_result'),
      id: z.string(),
      tool: z.string(),
      output: z.string(),
      isError: z.boolean(),
      ...nested,
    }),
    z.object({ type: z.literal('step_finish'), usage: StepUsage, ...nested }),
    /** The step before this marker was interrupted (worker lost); projections drop its partial events. */
    z.object({ type: z.literal('step_retry'), attempt: z.number().int() }),
    z.object({ type: z.literal('error'), code: RunErrorCode, message: z.string() }),
    z.object({ type: z.literal('done') }),
  ])
  .meta({ id: 'RunEvent', description: "One entry of a run's event log. Every stream is a projection of this log." })
export type RunEvent = z.infer<typeof RunEvent>
export type RunEventType = RunEvent['type']
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>

/** A persisted event: `seq` is 1, 2, 3… per run with no gaps. */
export const StoredRunEvent = z
  .object({
    runId: z.string(),
    seq: z.number().int().positive(),
    createdAt: z.string().meta({ format: 'date-time' }),
    event: RunEvent,
  })
  .meta({ id: 'StoredRunEvent' })
export type StoredRunEvent = z.infer<typeof StoredRunEvent>

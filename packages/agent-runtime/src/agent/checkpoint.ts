// Resume state stored after every completed step (ctx.checkpoint). The transcript holds the
// run's assistant message as saved after that step; on resume it is cut back to `parts`
// (dropping whatever an interrupted step left behind) and sent to the model as history, so the
// loop continues with the next step instead of repeating completed ones.
import { z } from 'zod'

export const AgentCheckpoint = z.object({
  v: z.literal(1),
  /** The run's assistant message (see assistantMessageIdForRun in @runyard/contract). */
  messageId: z.string(),
  /** Completed steps so far (they count against the step budget). */
  steps: z.number().int().nonnegative(),
  /** How many parts of the assistant message belong to completed steps. */
  parts: z.number().int().nonnegative(),
  /** The loop had ended after that step (final answer, question to the user, step limit). */
  finished: z.boolean(),
})
export type AgentCheckpoint = z.infer<typeof AgentCheckpoint>

/** The checkpoint to resume from, or null (none, foreign or unreadable: start the run over). */
export function readCheckpoint(raw: unknown, messageId: string): AgentCheckpoint | null {
  const parsed = AgentCheckpoint.safeParse(raw)
  return parsed.success && parsed.data.messageId === messageId ? parsed.data : null
}

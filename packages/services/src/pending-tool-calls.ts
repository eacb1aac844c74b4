// Client tool calls waiting for their output. When the model calls a tool the client runs itself
// (an OpenAI `function` tool), the run ends with that call's tool part left `input-available` in
// its assistant message — the agent's own tools always end with an output or an error. The next
// run on the chat answers it: with the outputs the client sent (Responses `function_call_output`),
// or, when a turn comes from elsewhere, with a visible "no output provided" error, so the model
// always sees a complete call.
import { badRequest, type UIMessage } from '@runyard/contract'

export interface ToolOutput {
  callId: string
  output: string
}

type ToolPart = { type: string; toolCallId: string; state: string; output?: unknown; errorText?: string }

const isPending = (p: UIMessage['parts'][number]): p is UIMessage['parts'][number] & ToolPart =>
  'toolCallId' in p && (p as ToolPart).state === 'input-available'

export const NO_OUTPUT_PROVIDED = 'No output provided: the conversation went on without the result of this call.'

/** The ids of a message's pending client tool calls, in order. */
export function pendingCallIds(message: UIMessage | null): string[] {
  return message ? message.parts.filter(isPending).map((p) => (p as ToolPart).toolCallId) : []
}

/**
 * `message` (the chat's last assistant message) with its pending calls answered: by `outputs`
 * when given — then every pending call needs one (OpenAI's 400 otherwise) and every output a
 * pending call —, else closed as "no output provided". Null when nothing changed.
 */
export function answerPendingCalls(
  message: UIMessage | null,
  outputs: readonly ToolOutput[] | undefined,
): UIMessage | null {
  const pending = pendingCallIds(message)
  if (outputs) {
    const unknown = outputs.find((o) => !pending.includes(o.callId))
    if (unknown)
      throw badRequest(
        `No pending function call with call_id "${unknown.callId.slice(0, 200)}" in this conversation.`,
        { param: 'input' },
      )
    const missing = pending.find((id) => !outputs.some((o) => o.callId === id))
    if (missing) throw badRequest(`No tool output found for function call ${missing}.`, { param: 'input' })
  }
  if (!message || pending.length === 0) return null
  const parts = message.parts.map((p) => {
    if (!isPending(p)) return p
    const given = outputs?.find((o) => o.callId === (p as ToolPart).toolCallId)
    return given
      ? { ...p, state: 'output-available' as const, output: given.output }
      : { ...p, state: 'output-error' as const, errorText: NO_OUTPUT_PROVIDED }
  })
  // Marks which calls this turn's client answered (what the Responses API lists as its input items).
  const answered = outputs?.map((o) => o.callId)
  return {
    ...message,
    parts,
    ...(answered?.length
      ? { metadata: { ...(message.metadata as object | undefined), answeredToolCalls: answered } }
      : {}),
  }
}

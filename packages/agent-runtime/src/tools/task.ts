// `task`: delegates a self-contained job to a sub-agent with its own step budget and the same
// tools minus `task` (no recursion) and `ask_user_question` (it cannot talk to the user). Its
// events are emitted under this call's id (parentToolCallId); its final answer is the result.
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  description: z.string().min(1).describe('A short (3-8 word) title for the task'),
  prompt: z.string().min(1).describe('Complete instructions for the sub-agent, including what to report back'),
})

export function taskTool(env: ToolEnvironment) {
  return tool({
    description:
      'Delegate a self-contained task (research, a search across many files, a focused change) to a sub-agent that ' +
      'works in the same workspace with the same tools and reports back a final answer. Give it complete instructions: ' +
      'it does not see this conversation.',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ description, prompt }, { toolCallId, abortSignal }) => {
      if (!env.runSubAgent) throw new Error('Sub-agents cannot start further sub-agents')
      return env.runSubAgent({ description, prompt, toolCallId, signal: abortSignal })
    },
  })
}

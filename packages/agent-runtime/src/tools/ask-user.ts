// `ask_user_question`: ends the turn with a question. The loop stops after the step that calls
// it (hasToolCall); the user's next message is the answer and the chat goes on normally. It
// has an execute function so the call gets a result and the transcript stays valid for the
// next turn.
import { tool } from 'ai'
import { z } from 'zod'

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  question: z.string().min(1),
  options: z.array(z.string()).optional().describe('Suggested answers, if the choice is between a few options'),
})

export function askUserTool() {
  return tool({
    description:
      'Ask the user a question when you cannot proceed without their input. This ends your turn; their reply ' +
      'arrives as the next user message. Do not use it for questions you can answer yourself.',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ question, options }) =>
      `The question was shown to the user and this turn ends here; their answer will arrive as the next message.\n` +
      `Question: ${question}${options?.length ? `\nOptions: ${options.join(' | ')}` : ''}`,
  })
}

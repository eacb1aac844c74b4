// What the fake model answers in the e2e suite, chosen from the last user message so every test
// can drive a scenario by what it types (the fake's script queue stays empty).
import type { FakeRequest, FakeTurn } from '../../packages/testkit/src/fake-openai/index.ts'

/** Words of the long answers, numbered so duplicated or missing text is easy to detect. */
export function numberedWords(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(' ')
}

const usage = (input: number, output: number) => ({ input, output })

export function respond(req: FakeRequest): FakeTurn {
  const text = req.lastUserText.toLowerCase()
  const followUp = req.toolResultsSinceUser > 0

  // A tool call (bash) and then an answer that reads its output.
  if (text.includes('list files')) {
    if (!followUp)
      return {
        reasoning: 'The user wants to see the workspace. Listing it with bash is the quickest way.',
        text: 'Let me look at the workspace.',
        toolCalls: [{ name: 'bash', arguments: { command: 'ls -1' } }],
        usage: usage(420, 38),
      }
    return { text: 'The workspace has a README.md and a src folder with the entry point.', usage: usage(510, 24) }
  }
  // A tool call that fails (the file does not exist): the card shows the error state.
  if (text.includes('read missing')) {
    if (!followUp)
      return { toolCalls: [{ name: 'read', arguments: { path: 'does-not-exist.txt' } }], usage: usage(300, 12) }
    return { text: 'That file does not exist in the workspace.', usage: usage(340, 10) }
  }
  // A question for the user; the loop ends the turn after it.
  if (text.includes('ask')) {
    return {
      toolCalls: [
        {
          name: 'ask_user_question',
          arguments: { question: 'Which branch should I use?', options: ['main', 'develop'] },
        },
      ],
      usage: usage(280, 20),
    }
  }
  // A long, slow stream (≈30 s) to stop.
  if (text.includes('slow')) return { text: numberedWords('slow', 300), chunkDelayMs: 100, usage: usage(200, 300) }
  // "stream": a first step that is stored when it ends (text + a tool call), then a second one
  // streaming numbered words for about 6 s — what a reload mid-stream must neither repeat nor lose.
  if (text.includes('stream')) {
    if (!followUp)
      return {
        text: 'Checking the workspace first.',
        toolCalls: [{ name: 'bash', arguments: { command: 'ls -1' } }],
        usage: usage(180, 14),
      }
    return { text: numberedWords('word', 60), chunkDelayMs: 100, usage: usage(220, 60) }
  }
  return {
    reasoning: 'A short, friendly answer is enough here.',
    text: `Hello! I am Runyard's test model. You said: "${req.lastUserText.trim().slice(0, 200)}".`,
    usage: usage(150, 22),
  }
}

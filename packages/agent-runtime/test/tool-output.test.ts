// Tool output is always storable, and the model sees it as stored: NUL → ␀ and lone surrogates
// → U+FFFD in every tool result and error (with secrets redacted in the same pass); invalid
// UTF-8 printed by a command arrives as U+FFFD. Unit cases on the wrapper, then a real run
// (engine + agent executor + host sandbox) whose bash call prints NUL bytes and a binary.
import { NUL_REPLACEMENT } from '@runyard/contract'
import { fakeTurn } from '@runyard/testkit'
import { tool, type ToolSet } from 'ai'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { REDACTED } from '../src/tools/index.ts'
import { sanitizeToolOutputs } from '../src/tools/tool-output.ts'
import { toolResults, useAgentEnv } from './support/agent-env.ts'

const NUL = '\u0000'
const LONE = '\ud800'
const SECRET = 'ryk_run_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'

describe('sanitizeToolOutputs', () => {
  const input = z.object({ fail: z.boolean() })
  const tools: ToolSet = {
    structured: tool({
      inputSchema: input,
      execute: async ({ fail }) => {
        if (fail) throw new Error(`bad${NUL}path ${LONE} ${SECRET}`)
        return {
          [`key${NUL}`]: [
            `a${NUL}b`,
            `half ${LONE} pair 😀`,
            7,
            null,
            { nested: Buffer.from(SECRET).toString('base64') },
          ],
        }
      },
    }),
  }
  const wrapped = sanitizeToolOutputs(tools, [SECRET])
  const run = (fail: boolean) =>
    wrapped.structured!.execute!(
      { fail },
      { toolCallId: 'call_1', messages: [], context: undefined },
    ) as Promise<unknown>

  it('makes every string of a result storable (keys included) and redacts it', async () => {
    expect(await run(false)).toEqual({
      [`key${NUL_REPLACEMENT}`]: [`a${NUL_REPLACEMENT}b`, 'half \ufffd pair 😀', 7, null, { nested: REDACTED }],
    })
  })

  it('does the same to error messages', async () => {
    await expect(run(true)).rejects.toThrow(`bad${NUL_REPLACEMENT}path \ufffd ${REDACTED}`)
  })

  it('wraps even when there is no secret to redact', async () => {
    const bare = sanitizeToolOutputs(tools, [])
    const out = await (bare.structured!.execute!(
      { fail: false },
      { toolCallId: 'call_1', messages: [], context: undefined },
    ) as Promise<unknown>)
    expect(JSON.stringify(out)).not.toMatch(/\\u0000|\\ud800/)
  })
})

describe('a run whose bash call prints NUL bytes, invalid UTF-8 and a binary', () => {
  const env = useAgentEnv()

  it('completes, and the stored tool output and what the model was sent show ␀ and U+FFFD', async () => {
    const chat = await env.chat('host')
    const command = "printf 'a\\000b\\377\\376c\\n'; head -c 2000 /bin/ls"
    env.fake.enqueue(fakeTurn.tool('bash', { command }, { id: 'call_bin' }), fakeTurn.text('It printed binary data.'))
    const { runId, events } = await env.run(chat, 'print some binary')

    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    expect((await env.engine.getRun(chat.accountId, runId)).status).toBe('completed')

    const [result] = toolResults(events)
    expect(result).toMatchObject({ id: 'call_bin', isError: false })
    const stored = result!.output
    expect(stored).toContain('Exit code: 0')
    expect(stored).toContain(`a${NUL_REPLACEMENT}b\ufffd\ufffdc`)
    expect(stored).toContain(`\u007fELF`)
    expect(stored).not.toContain(NUL)
    expect(stored.isWellFormed()).toBe(true)

    // the model got exactly that text back, not the raw NULs
    const sent = env.fake.requests[1]!.toolResults.find((r) => r.callId === 'call_bin')!.output
    expect(sent).toContain(`a${NUL_REPLACEMENT}b\ufffd\ufffdc`)
    expect(sent).not.toContain(NUL)
    expect(sent).toBe(stored)

    // and so does the stored transcript
    const transcript = JSON.stringify(await env.messages(chat))
    expect(transcript).toContain(`a${NUL_REPLACEMENT}b\ufffd\ufffdc`)
    expect(transcript).not.toContain('\\u0000')
  })
})

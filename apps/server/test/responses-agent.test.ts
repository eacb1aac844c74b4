// The Responses API end to end with the real agent runtime: createAgentExecutor with the real
// @ai-sdk/openai provider against the fake OpenAI server, tools in a host sandbox. Asserts on
// the prompt the model actually received (`fake.requests[i].body`): a continued response carries
// the earlier turn (user text, tool call and result, assistant reply), the x_context line and
// the per-response instructions.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTurn, startFakeOpenAI, type FakeOpenAI } from '@runyard/testkit'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { settledOpenapiProblems, startSdkServer } from './support/responses.ts'
import { realAgent } from './support/real-agent.ts'
import type { TestServer } from './support/server.ts'

let s: TestServer
let fake: FakeOpenAI
let client: OpenAI
let tmp: string

beforeAll(async () => {
  fake = await startFakeOpenAI()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'responses-agent-'))
  const { executor, runtime } = realAgent(fake.url, path.join(tmp, 'workspaces'))
  ;({ server: s, client } = await startSdkServer({ id: 'acct_agent', name: 'agent' }, { executor, runtime }))
})
afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
  await fake?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})
afterEach(async () => {
  expect(await settledOpenapiProblems()).toEqual([])
})

describe('Responses API with the agent runtime', () => {
  it('a continued response sends the model the earlier turn, the x_context line and the instructions', async () => {
    fake.enqueue(
      fakeTurn.tool('bash', { command: 'echo hello-from-tool' }, { id: 'call_echo', usage: { input: 50, output: 5 } }),
      fakeTurn.text(['The tool said ', 'hello.'], { usage: { input: 80, output: 4 } }),
    )
    const first = await client.responses.create({ model: 'default', input: 'Run the echo.' })
    expect(first).toMatchObject({ status: 'completed', model: 'openai/gpt-test', output_text: 'The tool said hello.' })
    expect(first.output.map((i) => i.type)).toEqual(['function_call', 'function_call_output', 'message'])
    expect(first.output[0]).toMatchObject({
      call_id: 'call_echo',
      name: 'bash',
      arguments: JSON.stringify({ command: 'echo hello-from-tool' }),
    })
    expect(first.output[1]).toMatchObject({ call_id: 'call_echo', output: expect.stringContaining('hello-from-tool') })
    expect(first.usage).toMatchObject({ input_tokens: 130, output_tokens: 9, total_tokens: 139 })

    fake.enqueue(fakeTurn.text('Approved transfer noted.'))
    const before = fake.requests.length
    const stream = await client.responses.create({
      model: 'default',
      input: 'Go ahead with the transfer',
      previous_response_id: first.id,
      instructions: 'Answer in one sentence.',
      stream: true,
      x_context: { notification_response: { notification_id: 'msg_123', action: 'approved' } },
    } as OpenAI.Responses.ResponseCreateParamsStreaming)
    let text = ''
    let final: OpenAI.Responses.Response | undefined
    for await (const e of stream) {
      if (e.type === 'response.output_text.delta') text += e.delta
      if (e.type === 'response.completed') final = e.response
    }
    expect(final).toMatchObject({
      status: 'completed',
      output_text: text,
      previous_response_id: first.id,
      instructions: 'Answer in one sentence.',
    })
    expect(text).toBe('Approved transfer noted.')

    // The prompt the model received for the second response.
    expect(fake.requests.length).toBe(before + 1)
    const prompt = JSON.stringify(fake.requests[before]!.body)
    const order = [
      'Run the echo.',
      'call_echo',
      'hello-from-tool',
      'The tool said hello.',
      '[Context: notification_response — notification_id: msg_123, action: approved]\\nGo ahead with the transfer',
    ]
    const positions = order.map((needle) => prompt.indexOf(needle))
    expect(
      positions.every((p) => p >= 0),
      `${JSON.stringify(positions)} in ${prompt.slice(0, 3000)}`,
    ).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(prompt).toContain('Answer in one sentence.')
    // Instructions are per response: the first request did not have them.
    expect(JSON.stringify(fake.requests[before - 1]!.body)).not.toContain('Answer in one sentence.')
  })
})

// The CometCode turn end to end with the real agent runtime: createAgentExecutor with the real
// @ai-sdk/openai provider against the fake OpenAI server, tools in a host sandbox on a temp
// workspace. The assistant side of the transcript is written by the runtime, so `GET …/messages`
// must mirror what the stream showed.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTurn, startFakeOpenAI, type FakeOpenAI } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cometClient, type CometClient } from './support/cometcode.ts'
import { realAgent } from './support/real-agent.ts'
import { startTestServer, type TestServer } from './support/server.ts'

let s: TestServer
let cc: CometClient
let fake: FakeOpenAI
let tmp: string

beforeAll(async () => {
  fake = await startFakeOpenAI()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cometcode-agent-'))
  const { executor, runtime } = realAgent(fake.url, path.join(tmp, 'workspaces'))
  s = await startTestServer({ executor, runtime })
  cc = await cometClient(s)
})
afterAll(async () => {
  await s?.stop()
  await fake?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('CometCode turn with the agent runtime', () => {
  it('streams reasoning, a tool call and text, then GET …/messages returns the matching transcript', async () => {
    const workspace = path.join(tmp, 'project')
    fs.mkdirSync(workspace)
    fs.writeFileSync(path.join(workspace, 'main.go'), 'package main\n')
    const created = await cc.call('/api/v1/sessions', { method: 'POST', json: { workspace_path: workspace } })
    expect(created).toMatchObject({ status: 201, body: { model_id: 'openai/gpt-test', provider_id: 'openai' } })
    const id = created.body.id as string

    fake.enqueue(
      fakeTurn.tool(
        'read',
        { path: 'main.go' },
        {
          id: 'call_read_1',
          reasoning: 'I should inspect the entrypoint.',
          usage: { input: 100, output: 20, cachedInput: 40 },
        },
      ),
      fakeTurn.text(['I found ', 'the entrypoint.'], { usage: { input: 150, output: 10 } }),
    )
    const frames = await (await cc.send(id, 'Inspect the entrypoint.')).all()
    const types = frames.map((f) => f.type)
    expect(types.filter((t) => t !== 'reasoning_delta' && t !== 'text_delta')).toEqual([
      'reasoning_start',
      'tool_call',
      'tool_result',
      'step_finish',
      'step_finish',
      'done',
    ])
    const reasoning = frames
      .filter((f) => f.type === 'reasoning_delta')
      .map((f) => f.text)
      .join('')
    const text = frames
      .filter((f) => f.type === 'text_delta')
      .map((f) => f.delta)
      .join('')
    expect(reasoning).toBe('I should inspect the entrypoint.')
    expect(text).toBe('I found the entrypoint.')
    const call = frames.find((f) => f.type === 'tool_call')
    const result = frames.find((f) => f.type === 'tool_result')
    expect(call).toEqual({ type: 'tool_call', id: 'call_read_1', tool: 'read', input: { path: 'main.go' } })
    expect(result).toMatchObject({
      type: 'tool_result',
      id: 'call_read_1',
      tool: 'read',
      output: expect.stringContaining('package main'),
    })
    const usage = frames.filter((f) => f.type === 'step_finish').map((f) => f.usage)
    const sum = (k: string) => usage.reduce((n: number, u: Record<string, number>) => n + u[k]!, 0)

    const transcript = await cc.call(`/api/v1/sessions/${id}/messages`)
    expect(transcript.body).toEqual({
      session_id: id,
      items: [
        { type: 'user', text: 'Inspect the entrypoint.' },
        { type: 'reasoning', text: reasoning },
        {
          type: 'tool',
          tool_name: 'read',
          tool_input: { path: 'main.go' },
          tool_output: result.output,
          tool_error: false,
        },
        { type: 'assistant', text },
      ],
    })
    const session = await cc.call(`/api/v1/sessions/${id}`)
    expect(session.body).toMatchObject({
      title: 'Inspect the entrypoint.',
      token_usage: {
        input_tokens: sum('input_tokens'),
        output_tokens: sum('output_tokens'),
        cache_read: sum('cache_read'),
        cache_write: sum('cache_write'),
      },
    })
    expect(session.body.token_usage.input_tokens).toBeGreaterThan(0)
  })

  it('reports a failing tool in the transcript as tool_error and a model failure as an error frame', async () => {
    const workspace = path.join(tmp, 'empty')
    fs.mkdirSync(workspace)
    const id = (await cc.call('/api/v1/sessions', { method: 'POST', json: { workspace_path: workspace } })).body
      .id as string
    fake.enqueue(
      fakeTurn.tool('read', { path: 'missing.go' }, { id: 'call_missing' }),
      fakeTurn.error(500, 'provider returned an error'),
    )
    const frames = await (await cc.send(id, 'Read missing.go')).all()
    expect(frames.at(-2)).toMatchObject({ type: 'error', code: 'llm' })
    expect(frames.at(-1)).toEqual({ type: 'done' })
    const items = (await cc.call(`/api/v1/sessions/${id}/messages`)).body.items
    expect(items[0]).toEqual({ type: 'user', text: 'Read missing.go' })
    expect(items[1]).toMatchObject({
      type: 'tool',
      tool_name: 'read',
      tool_input: { path: 'missing.go' },
      tool_error: true,
      tool_output: expect.stringContaining('not found'),
    })
  })
})

// Tests of the conformance suite's own checkers (no Runyard involved), so that a conformance case
// can pass only when the server really does what the spec says:
// - the stream rules accept a stream that follows the spec and name each violation of it;
// - the schema validation accepts a complete response object and names missing/invalid fields;
// - the model view reads what the real AI SDK provider sends (Responses API and Chat
//   Completions), so the "reached the model" checks do not depend on which one the agent uses.
import { createModelRegistry } from '@runyard/agent-runtime'
import { fakeTurn, startFakeOpenAI, type FakeOpenAI } from '@runyard/testkit'
import { generateText, jsonSchema, tool } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GET_WEATHER, IMAGE_URL, PDF_BASE64, PDF_FILENAME, PNG_BASE64 } from './fixtures.ts'
import { checkOrder, modelInput, modelTools, saw } from './model-view.ts'
import { formatSchemaProblems, schemaProblems } from './spec.ts'
import { analyzeStream } from './stream-rules.ts'
import type { StreamReply } from './wire.ts'

const RESPONSE = {
  id: 'resp_1',
  object: 'response',
  created_at: 1767225600,
  completed_at: null,
  status: 'in_progress',
  incomplete_details: null,
  model: 'm',
  previous_response_id: null,
  instructions: null,
  output: [] as unknown[],
  error: null,
  tools: [],
  tool_choice: 'auto',
  truncation: 'disabled',
  parallel_tool_calls: true,
  text: { format: { type: 'text' } },
  top_p: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  top_logprobs: 0,
  temperature: 1,
  reasoning: null,
  usage: null,
  max_output_tokens: null,
  max_tool_calls: null,
  store: true,
  background: false,
  service_tier: 'default',
  metadata: {},
  safety_identifier: null,
  prompt_cache_key: null,
}

const text = (t: string) => ({ type: 'output_text', text: t, annotations: [], logprobs: [] })
const MESSAGE = { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [text('Hi there')] }
const CALL = {
  type: 'function_call',
  id: 'fc_1',
  call_id: 'call_1',
  name: 'get_weather',
  arguments: '{"location":"SF"}',
  status: 'completed',
}

/** A stream that follows every rule: a message and a function call, then completed and [DONE]. */
function goodEvents(): any[] {
  const events: any[] = [
    { type: 'response.created', response: RESPONSE },
    { type: 'response.in_progress', response: RESPONSE },
    { type: 'response.output_item.added', output_index: 0, item: { ...MESSAGE, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', item_id: 'msg_1', output_index: 0, content_index: 0, part: text('') },
    {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hi ',
      logprobs: [],
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'there',
      logprobs: [],
    },
    {
      type: 'response.output_text.done',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      text: 'Hi there',
      logprobs: [],
    },
    { type: 'response.content_part.done', item_id: 'msg_1', output_index: 0, content_index: 0, part: text('Hi there') },
    { type: 'response.output_item.done', output_index: 0, item: MESSAGE },
    { type: 'response.output_item.added', output_index: 1, item: { ...CALL, arguments: '', status: 'in_progress' } },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '{"location":' },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '"SF"}' },
    { type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 1, arguments: '{"location":"SF"}' },
    { type: 'response.output_item.done', output_index: 1, item: CALL },
    {
      type: 'response.completed',
      response: { ...RESPONSE, status: 'completed', completed_at: 1767225601, output: [MESSAGE, CALL] },
    },
  ]
  return structuredClone(events)
}

function stream(events: any[], opts: { done?: boolean; renumber?: boolean } = {}): StreamReply {
  const numbered = opts.renumber === false ? events : events.map((e, i) => ({ ...e, sequence_number: i }))
  const frames = numbered.map((e) => ({ event: e.type as string | undefined, id: undefined, data: JSON.stringify(e) }))
  if (opts.done !== false) frames.push({ event: undefined, id: undefined, data: '[DONE]' })
  return { status: 200, contentType: 'text/event-stream; charset=utf-8', frames }
}

const problemsOf = (reply: StreamReply) => analyzeStream(reply).problems

describe('stream rules', () => {
  it('accept a stream that follows the spec', () => {
    expect(problemsOf(stream(goodEvents()))).toEqual([])
  })

  const violations: [string, () => StreamReply, string][] = [
    ['no [DONE]', () => stream(goodEvents(), { done: false }), 'literal `data: [DONE]`'],
    [
      'an `event:` field that is not the type',
      () => {
        const s = stream(goodEvents())
        s.frames[4]!.event = 'delta'
        return s
      },
      'the SSE `event:` field is "delta"',
    ],
    [
      'a done text that is not the deltas',
      () => {
        const e = goodEvents()
        e[5].delta = 'world'
        return stream(e)
      },
      'is not the concatenation of its deltas',
    ],
    [
      'arguments done without deltas',
      () => stream(goodEvents().filter((e) => e.type !== 'response.function_call_arguments.delta')),
      'no response.function_call_arguments.delta came before it',
    ],
    [
      'a terminal event that is not last',
      () => {
        const e = goodEvents()
        const completed = e.pop()
        e.splice(13, 0, completed)
        return stream(e)
      },
      'must be the last event',
    ],
    [
      'a missing required response field',
      () => {
        const e = goodEvents()
        delete e.at(-1).response.presence_penalty
        return stream(e)
      },
      'schema: event.response: required field `presence_penalty` is missing (in #14 response.completed)',
    ],
    [
      'an added item that is not in_progress',
      () => {
        const e = goodEvents()
        e[2].item.status = 'completed'
        return stream(e)
      },
      'an item being emitted is "in_progress"',
    ],
    [
      'decreasing sequence numbers',
      () => {
        const e = goodEvents().map((x, i) => ({ ...x, sequence_number: i }))
        e[3].sequence_number = 1
        return stream(e, { renumber: false })
      },
      'sequence_number must increase',
    ],
    [
      'text without content parts',
      () => stream(goodEvents().filter((e) => !e.type.startsWith('response.content_part.'))),
      'which no response.content_part.added opened',
    ],
    [
      'a non-spec event type',
      () => {
        const e = goodEvents()
        e[4].type = 'response.reasoning_text.delta'
        return stream(e)
      },
      'event type "response.reasoning_text.delta" is not defined by the spec',
    ],
    [
      'output before in_progress',
      () => stream(goodEvents().filter((e) => e.type !== 'response.in_progress')),
      'came before any response.in_progress',
    ],
    [
      'an item never closed',
      () => stream(goodEvents().filter((e, i) => !(i === 13))),
      'were never closed by response.output_item.done',
    ],
    [
      'a final output that is not the streamed items',
      () => {
        const e = goodEvents()
        e.at(-1).response.output = [MESSAGE]
        return stream(e)
      },
      'response.output has 1 item(s) but the stream added 2',
    ],
    [
      'a flat error event',
      () => {
        const e = goodEvents()
        e.splice(14, 0, { type: 'error', code: 'llm', message: 'boom', param: null })
        return stream(e)
      },
      'required field `error` is missing',
    ],
  ]
  for (const [name, make, expected] of violations) {
    it(`name the violation: ${name}`, () => {
      const problems = problemsOf(make())
      expect(
        problems.some((p) => p.includes(expected)),
        problems.join('\n'),
      ).toBe(true)
    })
  }
})

describe('schema validation', () => {
  it('accepts a complete response object and names each missing or invalid field', () => {
    const complete = { ...RESPONSE, status: 'completed', completed_at: 1767225601, output: [MESSAGE, CALL] }
    expect(schemaProblems('ResponseResource', complete)).toEqual([])
    const { presence_penalty: _p, service_tier: _s, ...partial } = complete
    expect(
      formatSchemaProblems(
        'response',
        schemaProblems('ResponseResource', {
          ...partial,
          temperature: null,
          metadata: null,
          output: [MESSAGE, { ...CALL, call_id: undefined }],
        }),
      ),
    ).toEqual([
      'response: required field `presence_penalty` is missing',
      'response: required field `service_tier` is missing',
      'response.output[1]: required field `call_id` is missing',
      'response.temperature: must be number, got null',
      'response.metadata: must be object, got null',
    ])
  })

  it('validates requests: the cases only send valid CreateResponseBody requests', () => {
    expect(
      schemaProblems('CreateResponseBody', {
        model: 'm',
        input: [{ type: 'function_call_output', call_id: 'c', output: 'x' }],
        tools: [GET_WEATHER],
      }),
    ).toEqual([])
    expect(schemaProblems('CreateResponseBody', { model: 'm', input: 42 }).length).toBeGreaterThan(0)
  })
})

/**
 * The agent runtime's `openai` provider pointed at the fake. The options carry both forms
 * `createModelRegistry` accepts while its signature changes (environment-style keys, and
 * `openai` / `defaultModel` options): each form ignores the other's keys.
 */
function fakeModel(baseURL: string, api: 'responses' | 'chat') {
  const options = {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: baseURL,
    RUNYARD_OPENAI_API: api,
    RUNYARD_MODEL: 'openai/gpt-test',
    openai: { apiKey: 'sk-test', baseURL, api },
    defaultModel: 'openai/gpt-test',
  }
  return createModelRegistry(options).resolve('openai/gpt-test').model
}

describe('model view', () => {
  let fake: FakeOpenAI
  beforeAll(async () => {
    fake = await startFakeOpenAI()
  })
  afterAll(async () => {
    await fake?.close()
  })

  for (const api of ['responses', 'chat'] as const) {
    it(`reads what the AI SDK's openai provider sends (${api} API)`, async () => {
      fake.enqueue(fakeTurn.text('ok'))
      await generateText({
        model: fakeModel(fake.url, api),
        maxRetries: 0,
        instructions: 'Answer briefly.',
        tools: {
          get_weather: tool({
            description: GET_WEATHER.description,
            inputSchema: jsonSchema(GET_WEATHER.parameters as never),
          }),
        },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look at these.' },
              { type: 'file', data: new URL(IMAGE_URL), mediaType: 'image/png' },
              { type: 'file', data: PNG_BASE64, mediaType: 'image/png' },
              { type: 'file', data: PDF_BASE64, mediaType: 'application/pdf', filename: PDF_FILENAME },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'call_9', toolName: 'get_weather', input: { location: 'SF' } }],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_9',
                toolName: 'get_weather',
                output: { type: 'text', value: '64 degrees and clear' },
              },
            ],
          },
          { role: 'user', content: 'Thanks.' },
        ],
      })
      const req = fake.requests.at(-1)!
      const seen = modelInput(req)
      expect(
        checkOrder(seen, [
          saw.instruction('Answer briefly.'),
          saw.userImage('Look at these.', IMAGE_URL, 'url'),
          saw.functionCall('get_weather'),
          saw.functionOutput('64 degrees and clear'),
          saw.user('Thanks.'),
        ]),
      ).toBeUndefined()
      expect(checkOrder(seen, [saw.userImage('Look at these.', PNG_BASE64, 'data')])).toBeUndefined()
      expect(checkOrder(seen, [saw.userFile('Look at these.', PDF_FILENAME, PDF_BASE64)])).toBeUndefined()
      expect(checkOrder(seen, [saw.user('Thanks.'), saw.functionCall('get_weather')])).toMatch(
        /reached the model out of order/,
      )
      expect(checkOrder(seen, [saw.instruction('Look at these.')])).toMatch(/did not reach the model/)
      expect(modelTools(req)).toEqual([
        {
          name: 'get_weather',
          description: GET_WEATHER.description,
          parameters: expect.objectContaining({ properties: GET_WEATHER.parameters.properties }),
        },
      ])
    })
  }
})

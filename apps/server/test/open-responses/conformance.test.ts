// Open Responses conformance suite for `POST /v1/responses`, written from the public
// specification (github.com/openresponses/openresponses: specification.mdx and the OpenAPI
// document, openapi.json beside this file) and from what each case of its compliance tester
// checks. See README.md beside this file for the case list, the sources and how to run it.
//
// Every case runs against a real Runyard whose agent calls a scripted fake OpenAI model, so the
// model's behaviour is fixed per case and the request the model received can be inspected:
// besides the wire (schema, status, event order) each case checks that the client's input
// reached the model the way the spec says it must.
import { isDeepStrictEqual } from 'node:util'
import { fakeTurn } from '@runyard/testkit'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { checkAssistantMessage, checkCompleted, errorObject, Problems, responseBody } from './checks.ts'
import { GET_WEATHER, IMAGE_URL, PDF_BASE64, PDF_DATA_URL, PDF_FILENAME, PNG_BASE64, PNG_DATA_URL } from './fixtures.ts'
import { MODEL, startHarness, type Harness } from './harness.ts'
import { modelInput, modelTools, saw, summarize, type Expectation, type Seen } from './model-view.ts'
import { show } from './spec.ts'
import { analyzeStream } from './stream-rules.ts'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})
beforeEach(() => h.beginCase())

const WEATHER_QUESTION = "What's the weather like in San Francisco?"
const SF = { location: 'San Francisco, CA' }

/**
 * The model called a client-side function tool: the response ends with that `function_call`
 * item (name, call_id, the model's arguments as a JSON string) and the server did not run it
 * (no `function_call_output` for it): the client executes the function and sends the result back.
 */
function checkClientCall(p: Problems, r: any, name: string, args: object, where = 'response'): any {
  const output: any[] = Array.isArray(r?.output) ? r.output : []
  const last = output.at(-1)
  if (
    !p.check(
      last?.type === 'function_call',
      `${where}.output must end with a function_call item for the client tool ${name}; output item types: ${show(output.map((i) => i?.type))}`,
    )
  )
    return undefined
  p.check(last.name === name, `${where}: the function_call names ${show(last.name)}, expected ${show(name)}`)
  p.check(
    typeof last.call_id === 'string' && last.call_id.length > 0,
    `${where}: the function_call has no call_id (${show(last.call_id)}); the client needs it to send the function_call_output back`,
  )
  let parsed: unknown
  try {
    parsed = JSON.parse(last.arguments)
  } catch {
    parsed = undefined
  }
  p.check(
    isDeepStrictEqual(parsed, args),
    `${where}: function_call.arguments ${show(last.arguments)} is not the JSON string of the model's arguments ${JSON.stringify(args)}`,
  )
  p.check(
    last.status === 'completed',
    `${where}: the function_call item has status ${show(last.status)}, expected "completed"`,
  )
  p.check(
    !output.some((i) => i?.type === 'function_call_output' && i.call_id === last.call_id),
    `${where}.output has a function_call_output for the client tool call ${last.call_id}: the server must not execute a client-side function tool`,
  )
  p.check(
    Array.isArray(r.tools) && r.tools.some((t: any) => t?.type === 'function' && t.name === name),
    `${where}.tools ${show(r.tools)} does not list the function tool ${name} that was available to the model`,
  )
  return last
}

/** The model was offered the client's tool (name, description, parameters) and called once. */
function checkToolOffered(p: Problems, expectedCalls: number): void {
  const reqs = h.modelRequests()
  p.check(
    reqs.length === expectedCalls,
    `the model was called ${reqs.length} time(s), expected ${expectedCalls}: once the model calls a client-side function tool the response ends and control returns to the client`,
  )
  if (!reqs[0]) return
  const offered = modelTools(reqs[0])
  const tool = offered.find((t) => t.name === GET_WEATHER.name)
  if (
    !p.check(
      tool !== undefined,
      `the client tool ${GET_WEATHER.name} was not offered to the model (tools offered: ${show(offered.map((t) => t.name))})`,
    )
  )
    return
  p.check(
    tool!.description === GET_WEATHER.description,
    `the model was offered ${GET_WEATHER.name} with description ${show(tool!.description)}, expected the client's ${show(GET_WEATHER.description)}`,
  )
  const props = (tool!.parameters as { properties?: Record<string, unknown> } | undefined)?.properties
  p.check(
    isDeepStrictEqual(props, GET_WEATHER.parameters.properties),
    `the model was offered ${GET_WEATHER.name} with parameters ${show(tool!.parameters)}, not the client's JSON schema ${show(GET_WEATHER.parameters)}`,
  )
}

/** In what the model received, the function_call_output carries the call_id of the function_call before it. */
function checkPairing(p: Problems, seen: Seen[], output: string, context: string): void {
  const i = seen.findIndex((s) => s.kind === 'function_call_output' && s.output.includes(output))
  if (i < 0) return
  const callId = (seen[i] as { callId: string }).callId
  p.check(
    seen.slice(0, i).some((s) => (s.kind === 'function_call' && s.callId === callId) || s.kind === 'item_reference'),
    `${context}: the function_call_output's call_id ${show(callId)} matches no function_call sent before it, so the model cannot pair the result with its call; the model received: ${summarize(seen)}`,
  )
}

const lastModelInput = (): Seen[] => {
  const req = h.modelRequests().at(-1)
  return req ? modelInput(req) : []
}

/**
 * Sends `body` with the model scripted to answer `answer`: the response must complete with that
 * message (and pass `more`, the test's own checks), and the model must have seen `seen`, in order.
 */
async function expectAnswer(
  body: Record<string, unknown>,
  answer: string,
  seen: Expectation[],
  more?: (p: Problems, r: { instructions?: unknown }) => void,
) {
  h.script(fakeTurn.text(answer))
  const reply = await h.create(body)
  const p = new Problems()
  const r = responseBody(p, reply)
  if (r) {
    checkCompleted(p, r)
    checkAssistantMessage(p, r, answer)
    more?.(p, r)
    p.order(lastModelInput(), seen)
  }
  p.assertNone()
}

/** The second response of a chain: completed with `answer`, naming `first` as its previous response, after two model calls in all. */
function checkSecondAnswer(p: Problems, r2: ReturnType<typeof responseBody>, first: { id: string }, answer: string) {
  checkCompleted(p, r2, 'second response')
  checkAssistantMessage(p, r2, answer, 'second response')
  p.check(
    r2.previous_response_id === first.id,
    `second response.previous_response_id is ${show(r2.previous_response_id)}, expected ${show(first.id)}`,
  )
  p.check(
    h.modelRequests().length === 2,
    `the model was called ${h.modelRequests().length} time(s) for the two responses, expected 2`,
  )
}

describe('Open Responses: chat inference', () => {
  it('basic-response: a user message item gets a completed, schema-valid response carrying the model message', async () => {
    h.script(fakeTurn.text('Hello there, friend.', { usage: { input: 21, output: 4 } }))
    const reply = await h.create({
      model: MODEL,
      input: [{ type: 'message', role: 'user', content: 'Say hello in exactly 3 words.' }],
    })
    const p = new Problems()
    const r = responseBody(p, reply)
    if (r) {
      checkCompleted(p, r)
      checkAssistantMessage(p, r, 'Hello there, friend.')
      p.check(
        r.usage?.input_tokens === 21 && r.usage?.output_tokens === 4 && r.usage?.total_tokens === 25,
        `response.usage ${show(r.usage)} does not record the model's usage (21 input + 4 output = 25 tokens)`,
      )
      p.order(lastModelInput(), [saw.user('Say hello in exactly 3 words.')])
    }
    p.assertNone()
  })

  it('string-input: a string input is interpreted as a user message', () =>
    expectAnswer(
      { model: MODEL, input: 'Write a one-sentence project status update.' },
      'On track: the release candidate ships Friday.',
      [saw.user('Write a one-sentence project status update.')],
    ))

  it('system-prompt: a system message in input reaches the model as a system instruction, before the user message', () =>
    expectAnswer(
      {
        model: MODEL,
        input: [
          { type: 'message', role: 'system', content: 'You are a pirate. Always respond in pirate speak.' },
          { type: 'message', role: 'user', content: 'Say hello.' },
        ],
      },
      'Ahoy, matey!',
      [saw.instruction('You are a pirate. Always respond in pirate speak.'), saw.user('Say hello.')],
    ))

  it('developer-prompt: a developer message in input reaches the model as a system/developer instruction, before the user message', () =>
    expectAnswer(
      {
        model: MODEL,
        input: [
          { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer with a single word.' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Greet me.' }] },
        ],
      },
      'Hello.',
      [saw.instruction('Answer with a single word.'), saw.user('Greet me.')],
    ))

  it('instructions: `instructions` reach the model as a system/developer instruction and are echoed in response.instructions', () =>
    expectAnswer(
      { model: MODEL, instructions: 'Always answer in French.', input: 'Say hello.' },
      'Bonjour !',
      [saw.instruction('Always answer in French.'), saw.user('Say hello.')],
      (p, r) =>
        p.check(
          r.instructions === 'Always answer in French.',
          `response.instructions is ${show(r.instructions)}, expected the request's "Always answer in French."`,
        ),
    ))

  it('multi-turn: inline history (user, assistant, user messages) reaches the model in order, with its roles', () =>
    expectAnswer(
      {
        model: MODEL,
        input: [
          { type: 'message', role: 'user', content: 'My name is Alice.' },
          { type: 'message', role: 'assistant', content: 'Nice to meet you, Alice. What can I do for you?' },
          { type: 'message', role: 'user', content: 'What is my name?' },
        ],
      },
      'Your name is Alice.',
      [saw.user('My name is Alice.'), saw.assistant('Nice to meet you, Alice.'), saw.user('What is my name?')],
    ))

  it('previous-response-id: the model is sampled over previous input → previous output → new input, and previous_response_id is echoed', async () => {
    h.script(fakeTurn.text('OK'), fakeTurn.text('The code word is papaya.'))
    const p = new Problems()
    const r1 = responseBody(
      p,
      await h.create({ model: MODEL, input: 'Remember this code word: papaya. Reply with only OK.' }),
      'first response',
    )
    if (!r1) return p.assertNone()
    checkCompleted(p, r1, 'first response')
    const r2 = responseBody(
      p,
      await h.create({ model: MODEL, previous_response_id: r1.id, input: 'What code word did I ask you to remember?' }),
      'second response',
    )
    if (r2) {
      checkSecondAnswer(p, r2, r1, 'The code word is papaya.')
      p.order(
        lastModelInput(),
        [
          saw.user('Remember this code word: papaya.'),
          saw.assistant('OK'),
          saw.user('What code word did I ask you to remember?'),
        ],
        'second model request',
      )
    }
    p.assertNone()
  })
})

describe('Open Responses: streaming', () => {
  it('streaming-response: SSE events validate, follow the item/content-part order and end with response.completed then [DONE]', async () => {
    h.script(fakeTurn.text(['1, ', '2, ', '3, ', '4, ', '5.']))
    const reply = await h.stream({
      model: MODEL,
      input: [{ type: 'message', role: 'user', content: 'Count from 1 to 5.' }],
    })
    const p = new Problems()
    const s = analyzeStream(reply)
    p.addAll(s.problems)
    const deltas = s.events.filter((e) => e?.type === 'response.output_text.delta').map((e) => e.delta as string)
    if (s.events.length)
      p.check(deltas.length > 0, 'no response.output_text.delta event: the message text must be streamed as deltas')
    p.check(
      deltas.join('') === '1, 2, 3, 4, 5.' || !deltas.length,
      `the streamed text deltas join to ${show(deltas.join(''))}, expected the model's "1, 2, 3, 4, 5."`,
    )
    if (s.terminal) {
      checkCompleted(p, s.terminal.response, `${s.terminal.type} response`)
      checkAssistantMessage(p, s.terminal.response, '1, 2, 3, 4, 5.', `${s.terminal.type} response`)
    }
    if (s.events.length) p.order(lastModelInput(), [saw.user('Count from 1 to 5.')])
    p.assertNone()
  })
})

describe('Open Responses: tool calling', () => {
  it('tool-calling: a client function tool is offered to the model, and the model calling it ends the response with a function_call item', async () => {
    h.script(fakeTurn.tool(GET_WEATHER.name, SF, { id: 'call_sf_1' }))
    const reply = await h.create({
      model: MODEL,
      input: [{ type: 'message', role: 'user', content: WEATHER_QUESTION }],
      tools: [GET_WEATHER],
    })
    const p = new Problems()
    const r = responseBody(p, reply)
    if (r) {
      checkCompleted(p, r)
      checkClientCall(p, r, GET_WEATHER.name, SF)
      checkToolOffered(p, 1)
      p.order(lastModelInput(), [saw.user(WEATHER_QUESTION)])
    }
    p.assertNone()
  })

  it('tool-calling-streaming: the function_call streams as output_item.added → function_call_arguments.delta… → .done → output_item.done', async () => {
    h.script(fakeTurn.tool(GET_WEATHER.name, SF, { id: 'call_sf_stream' }))
    const reply = await h.stream({
      model: MODEL,
      input: [{ type: 'message', role: 'user', content: WEATHER_QUESTION }],
      tools: [GET_WEATHER],
    })
    const p = new Problems()
    const s = analyzeStream(reply)
    p.addAll(s.problems)
    if (s.events.length) {
      const added = s.events.find((e) => e?.type === 'response.output_item.added' && e.item?.type === 'function_call')
      if (p.check(added !== undefined, 'missing response.output_item.added with a function_call item')) {
        p.check(
          added.item.name === GET_WEATHER.name,
          `#${added.sequence_number} response.output_item.added: the added function_call must name the function (spec: "for function_call, this is at least the name"), got ${show(added.item.name)}`,
        )
        const idx = added.output_index
        const of = (type: string) => s.events.filter((e) => e?.type === type && e.output_index === idx)
        p.check(
          of('response.function_call_arguments.delta').length > 0,
          'missing response.function_call_arguments.delta for the function_call item',
        )
        p.check(
          of('response.function_call_arguments.done').length === 1,
          `expected one response.function_call_arguments.done for the function_call item, got ${of('response.function_call_arguments.done').length}`,
        )
        p.check(
          of('response.output_item.done').some((e) => e.item?.type === 'function_call'),
          'missing response.output_item.done with the function_call item',
        )
      }
      if (s.terminal) {
        checkCompleted(p, s.terminal.response, `${s.terminal.type} response`)
        checkClientCall(p, s.terminal.response, GET_WEATHER.name, SF, `${s.terminal.type} response`)
      }
      checkToolOffered(p, 1)
    }
    p.assertNone()
  })

  it('function-call-roundtrip: a function_call_output sent with previous_response_id reaches the model after its function_call, and the model answers', async () => {
    h.script(
      fakeTurn.tool(GET_WEATHER.name, SF, { id: 'call_sf_2' }),
      fakeTurn.text('It is 64 degrees and clear in San Francisco.'),
    )
    const p = new Problems()
    const first = await h.create({
      model: MODEL,
      input: 'Use the weather tool to get the temperature in San Francisco.',
      tools: [GET_WEATHER],
      tool_choice: { type: 'function', name: GET_WEATHER.name },
    })
    const r1 = responseBody(p, first, 'first response')
    const call = r1 && checkClientCall(p, r1, GET_WEATHER.name, SF, 'first response')
    if (!r1 || !call) return p.assertNone()
    const second = await h.create({
      model: MODEL,
      previous_response_id: r1.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '64 degrees and clear' }],
    })
    const r2 = responseBody(p, second, 'second response')
    if (r2) {
      checkSecondAnswer(p, r2, r1, 'It is 64 degrees and clear in San Francisco.')
      const seen = lastModelInput()
      p.order(
        seen,
        [
          saw.user('Use the weather tool to get the temperature in San Francisco.'),
          saw.functionCall(GET_WEATHER.name),
          saw.functionOutput('64 degrees and clear'),
        ],
        'second model request',
      )
      checkPairing(p, seen, '64 degrees and clear', 'second model request')
    }
    p.assertNone()
  })

  it('function-call-roundtrip-inline: function_call + function_call_output items in input reach the model in order, and the model answers', async () => {
    h.script(fakeTurn.text('It is 64 degrees and clear in San Francisco.'))
    const reply = await h.create({
      model: MODEL,
      tools: [GET_WEATHER],
      input: [
        { type: 'message', role: 'user', content: WEATHER_QUESTION },
        { type: 'function_call', call_id: 'call_client_77', name: GET_WEATHER.name, arguments: JSON.stringify(SF) },
        { type: 'function_call_output', call_id: 'call_client_77', output: '64 degrees and clear' },
      ],
    })
    const p = new Problems()
    const r = responseBody(p, reply)
    if (r) {
      checkCompleted(p, r)
      checkAssistantMessage(p, r, 'It is 64 degrees and clear in San Francisco.')
      p.check(h.modelRequests().length === 1, `the model was called ${h.modelRequests().length} time(s), expected 1`)
      const seen = lastModelInput()
      p.order(seen, [
        saw.user(WEATHER_QUESTION),
        saw.functionCall(GET_WEATHER.name),
        saw.functionOutput('64 degrees and clear'),
      ])
      checkPairing(p, seen, '64 degrees and clear', 'model input')
    }
    p.assertNone()
  })
})

describe('Open Responses: multimodal input', () => {
  const ask = 'What do you see in this image? Answer in one sentence.'

  /** One user message of `text` and `attachment`: the model must see both (`seen`), the reply complete with `answer`. */
  const expectAttachmentSeen = (text: string, attachment: object, answer: string, seen: Expectation) =>
    expectAnswer(
      { model: MODEL, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }, attachment] }] },
      answer,
      [seen],
    )

  it('image-input (URL): an input_image with an https image_url reaches the model with the user text', () =>
    expectAttachmentSeen(
      ask,
      { type: 'input_image', image_url: IMAGE_URL },
      'A small red and white checkerboard.',
      saw.userImage(ask, IMAGE_URL, 'the https URL'),
    ))

  it('image-input (data URL): an input_image with a base64 data URL reaches the model with the user text', () =>
    expectAttachmentSeen(
      ask,
      { type: 'input_image', image_url: PNG_DATA_URL },
      'A small red and white checkerboard.',
      saw.userImage(ask, PNG_BASE64, 'the base64 PNG'),
    ))

  it('file-input: an input_file with filename + base64 file_data reaches the model with the user text', () => {
    const read = 'Read the attached file and answer with its title only.'
    return expectAttachmentSeen(
      read,
      { type: 'input_file', filename: PDF_FILENAME, file_data: PDF_DATA_URL },
      'Runyard Conformance Memo',
      saw.userFile(read, PDF_FILENAME, PDF_BASE64),
    )
  })
})

describe('Open Responses: errors', () => {
  it('error (unknown model): 400 invalid_request error object with param "model" and code "model_not_found"', async () => {
    const reply = await h.create({ model: 'no-such-model', input: 'Say hello.' })
    const p = new Problems()
    p.check(
      reply.status === 400,
      `an unknown model must be answered with HTTP 400 (invalid_request), got ${reply.status}: ${reply.text.slice(0, 300)}`,
    )
    const e = errorObject(p, reply)
    if (e) {
      p.check(e.param === 'model', `error.param is ${show(e.param)}, expected "model"`)
      p.check(
        e.code === 'model_not_found',
        `error.code is ${show(e.code)}, expected "model_not_found" (the spec's example for this error)`,
      )
    }
    p.check(h.modelRequests().length === 0, 'the model was called for a rejected request')
    p.assertNone()
  })

  it('error (unknown previous_response_id): not found error object with code "previous_response_not_found" and param "previous_response_id"', async () => {
    const reply = await h.create({
      model: MODEL,
      previous_response_id: 'resp_01JZZZZZZZZZZZZZZZZZZZZZZZ',
      input: 'Continue.',
    })
    const p = new Problems()
    p.check(
      reply.status === 404 || reply.status === 400,
      `an unknown previous_response_id must be answered with HTTP 404 (not_found) or 400 (invalid_request), got ${reply.status}: ${reply.text.slice(0, 300)}`,
    )
    const e = errorObject(p, reply)
    if (e) {
      p.check(
        e.code === 'previous_response_not_found',
        `error.code is ${show(e.code)}, expected "previous_response_not_found"`,
      )
      p.check(e.param === 'previous_response_id', `error.param is ${show(e.param)}, expected "previous_response_id"`)
    }
    p.check(h.modelRequests().length === 0, 'the model was called for a rejected request')
    p.assertNone()
  })

  it('error (malformed request): an input of the wrong type gets a 400 invalid_request error object with param "input"', async () => {
    const reply = await h.createUnchecked({ model: MODEL, input: 42 })
    const p = new Problems()
    p.check(
      reply.status === 400,
      `a malformed request must be answered with HTTP 400 (invalid_request), got ${reply.status}: ${reply.text.slice(0, 300)}`,
    )
    const e = errorObject(p, reply)
    if (e)
      p.check(
        e.param === 'input',
        `error.param is ${show(e.param)}, expected "input" (the parameter related to the error)`,
      )
    p.check(h.modelRequests().length === 0, 'the model was called for a rejected request')
    p.assertNone()
  })

  it('error (model failure): a failing model gives a schema-valid response with status "failed" and an error object (or a 500 server/model error)', async () => {
    h.script(fakeTurn.error(500, 'The model backend crashed.'))
    const reply = await h.create({ model: MODEL, input: 'Say hello.' })
    const p = new Problems()
    if (reply.status === 200) {
      const r = responseBody(p, reply)
      if (r) {
        p.check(r.status === 'failed', `response.status is ${show(r.status)}, expected "failed" after the model failed`)
        p.check(
          r.error !== null && typeof r.error === 'object',
          `response.error is ${show(r.error)}; a failed response carries the error ({code, message})`,
        )
      }
    } else if (reply.status >= 500) {
      errorObject(p, reply)
    } else {
      p.add(
        `a model failure must surface as a response with status "failed" (HTTP 200) or as a server/model error (HTTP 500), got ${reply.status}: ${reply.text.slice(0, 300)}`,
      )
    }
    p.assertNone()
  })

  it('error (model failure while streaming): error events validate and are followed by response.failed; the stream still ends with [DONE]', async () => {
    h.script(fakeTurn.error(500, 'The model backend crashed.'))
    const reply = await h.stream({ model: MODEL, input: 'Say hello.' })
    const p = new Problems()
    const s = analyzeStream(reply)
    p.addAll(s.problems)
    if (s.events.length) {
      p.check(
        s.terminal?.type === 'response.failed',
        `after the model failed the stream must end the response with response.failed, got ${show(s.terminal?.type ?? s.events.at(-1)?.type)}`,
      )
      if (s.terminal?.type === 'response.failed') {
        const err = s.terminal.response?.error
        p.check(
          err !== null && typeof err === 'object',
          `response.failed: response.error is ${show(err)}; a failed response carries the error ({code, message})`,
        )
      }
      const firstError = s.events.findIndex((e) => e?.type === 'error')
      if (firstError >= 0) {
        p.check(
          s.events.slice(firstError + 1).some((e) => e?.type === 'response.failed'),
          `#${s.events[firstError].sequence_number} error is not followed by response.failed (spec: "Any error incurred while streaming will be followed by a response.failed event")`,
        )
      }
    }
    p.assertNone()
  })
})

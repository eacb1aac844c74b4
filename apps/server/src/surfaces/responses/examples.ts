// Request and response examples for /openapi.json.
import { DEFAULT_SETTINGS } from '../../projections/responses.ts'
import type { ResponseObject } from './schemas.ts'

const stem = '01JZ8Q6W3M4K2N5P7R9T1V3X5Z'

export const exampleResponse: ResponseObject = {
  id: `resp_${stem}`,
  object: 'response',
  created_at: 1767225600,
  completed_at: 1767225604,
  status: 'completed',
  background: false,
  model: 'gpt-5-mini',
  output: [
    {
      type: 'function_call',
      id: `fc_${stem}_4`,
      call_id: 'call_a1',
      name: 'bash',
      arguments: '{"command":"ls"}',
      status: 'completed',
    },
    {
      type: 'function_call_output',
      id: `fco_${stem}_5`,
      call_id: 'call_a1',
      name: 'bash',
      output: 'README.md\nsrc',
      status: 'completed',
    },
    {
      type: 'message',
      id: `msg_${stem}_7`,
      role: 'assistant',
      status: 'completed',
      content: [
        { type: 'output_text', text: 'The repository has a README and a src folder.', annotations: [], logprobs: [] },
      ],
    },
  ],
  output_text: 'The repository has a README and a src folder.',
  usage: {
    input_tokens: 812,
    input_tokens_details: { cached_tokens: 512, cache_write_tokens: 0 },
    output_tokens: 41,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 853,
  },
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: { ticket: 'SUP-42' },
  previous_response_id: null,
  store: true,
  ...DEFAULT_SETTINGS,
  access_programs: null,
  x_runyard: {
    run_id: `run_${stem}`,
    session_id: 'sess_01JZ8Q6W2Y0B1C2D3E4F5G6H7J',
    chat_id: 'chat_01JZ8Q6W2Y8K9M0N1P2Q3R4S5T',
  },
}

export const exampleQueued: ResponseObject = {
  ...exampleResponse,
  status: 'queued',
  background: true,
  completed_at: null,
  output: [],
  output_text: '',
  usage: {
    input_tokens: 0,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: 0,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 0,
  },
}

export const createExamples = {
  simple: { summary: 'A string input', value: { model: 'default', input: 'List the files in the repository.' } },
  streamed: { summary: 'Streamed (SSE)', value: { model: 'default', input: 'Summarise README.md', stream: true } },
  messages: {
    summary: 'Input messages and instructions',
    value: {
      model: 'default',
      instructions: 'Answer in one sentence.',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What does this project do?' }] }],
      metadata: { ticket: 'SUP-42' },
    },
  },
  continued: {
    summary: 'Continue a conversation with structured context (x_context)',
    value: {
      model: 'default',
      input: 'Go ahead with the transfer',
      previous_response_id: `resp_${stem}`,
      x_context: {
        notification_response: {
          notification_id: 'msg_123',
          action: 'approved',
          original_signal: 'convert_now',
          score: 72,
          rate: 85.42,
          amount_usd: 1000,
        },
      },
    },
  },
  background: {
    summary: 'Background: answers `queued` at once',
    value: { model: 'default', input: 'Run the test suite and fix failures.', background: true },
  },
}

export const STREAM_DESCRIPTION = `With \`stream: true\` (create) or \`?stream=true\` (retrieve) the answer is \`text/event-stream\`: each event is \`event: <type>\` + \`id: <sequence_number>\` + \`data: <JSON>\`, with a strictly increasing \`sequence_number\` starting at 0. The stream is a deterministic projection of the run's durable event log, so \`GET /v1/responses/{id}?stream=true&starting_after=N\` (or \`Last-Event-ID: N\`) yields exactly the events after N.

Order: \`response.created\` (status \`queued\`) → \`response.in_progress\` when the run starts → per output item \`response.output_item.added\` … \`response.output_item.done\`:
- assistant text: \`response.content_part.added\`, \`response.output_text.delta\`…, \`response.output_text.done\`, \`response.content_part.done\`;
- tool call: \`response.function_call_arguments.delta\`, \`response.function_call_arguments.done\` (item \`function_call\`), then its result as a \`function_call_output\` item;
- reasoning: \`response.content_part.added\`, \`response.reasoning_text.delta\`…, \`response.reasoning_text.done\`, \`response.content_part.done\`;

→ one terminal event carrying the final response: \`response.completed\`, \`response.failed\` (with \`response.error\`) or \`response.cancelled\`. A server-side failure of the stream itself is an \`error\` event. Disconnecting does not stop the run.`

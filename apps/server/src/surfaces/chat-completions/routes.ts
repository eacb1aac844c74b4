// OpenAI Chat Completions (`/v1/chat/completions`) and the model list (`/v1/models`), so chat
// front-ends that speak only Chat Completions (Open WebUI, LibreChat, Continue, most LLM
// libraries) can use a Runyard agent as a model. Each request is one run on the engine, in a
// session of its own (the request carries the whole conversation), visible in the console and
// cancellable like any other. Errors are OpenAI-shaped.
import { AppError, isAppError } from '@runyard/contract'
import type { Services } from '@runyard/services'
import { z } from 'zod'
import { clientGone } from '../../http/client-gone.ts'
import { openai } from '../../http/error-shapes.ts'
import { operations, routeGroup } from '../../http/route.ts'
import { pipeSse } from '../../http/sse.ts'
import {
  ChatCompletionProjection,
  projectCompletion,
  type CompletionHeader,
} from '../../projections/chat-completions.ts'
import { projectEvents } from '../../projections/sse-projection.ts'
import { toTurnInput } from '../responses/input.ts'
import { requestTools } from '../responses/tools.ts'
import { ChatCompletionBody } from './request.ts'
import { toResponsesInput, toResponsesTools } from './input.ts'
import { ChatCompletionObject, ChatCompletionChunkObject, ModelList, ModelObject } from './schemas.ts'

const STARTED = Math.floor(Date.now() / 1000)

const route = routeGroup({ tags: ['Chat Completions'], surface: openai, auth: true })

export function chatCompletionRoutes(s: Services) {
  const modelObject = (id: string, ownedBy: string) => ({
    id,
    object: 'model' as const,
    created: STARTED,
    owned_by: ownedBy,
  })
  const models = () => [
    modelObject('default', 'runyard'),
    ...s.runtime.models.list().map((m) => modelObject(m.id, m.providerId)),
  ]
  return operations({
    listModels: route.get('/v1/models', {
      summary: 'List models',
      description:
        "The models this server runs agents with, in OpenAI's list shape: `default` (the configured default model) and every configured model id.",
      responses: { 200: { description: 'The models', schema: ModelList } },
      errors: [503],
      handler: async () => ({ status: 200, body: { object: 'list', data: models() } }),
    }),
    getModel: route.get('/v1/models/{model}', {
      summary: 'Retrieve a model',
      params: z.object({ model: z.string().min(1).max(200) }),
      responses: { 200: { description: 'The model', schema: ModelObject } },
      errors: [404, 503],
      handler: async ({ params }) => {
        const found = models().find((m) => m.id === params.model)
        if (!found)
          throw new AppError(
            'not_found',
            'model_not_found',
            `The model "${params.model}" does not exist on this server.`,
            { param: 'model' },
          )
        return { status: 200, body: found }
      },
    }),
    createChatCompletion: route.post('/v1/chat/completions', {
      summary: 'Create a chat completion',
      description: `Runs the agent (its tools, its sandbox) on the conversation in \`messages\` and answers as a Chat Completions model would: the agent's text is the assistant message; calls of the client's own \`tools\` end the completion with \`tool_calls\` (\`finish_reason: "tool_calls"\`) — send the conversation again with the \`tool\` messages to continue. The agent's server-side tool calls are not shown here (they are in the console and the run's events). \`usage\` sums every model call of the run.

- Each request is a run in a session of its own (the conversation travels with every request); the run id is in the \`x-runyard-run-id\` header.
- \`stream: true\`: \`chat.completion.chunk\` events, then \`data: [DONE]\`; \`stream_options.include_usage\` adds a last chunk with the usage.
- A run that fails answers \`500\` (streaming: an \`{"error":…}\` chunk) with the run's error code.

Use \`/v1/responses\` instead to keep the conversation on the server (\`previous_response_id\`), to run in the background, or to read the agent's tool calls.`,
      body: ChatCompletionBody,
      responses: {
        200: {
          description: 'The completion (`application/json`), or its chunks with `stream: true`.',
          schema: ChatCompletionObject,
          sse: {
            frame: ChatCompletionChunkObject,
            description: 'One `data: <chat.completion.chunk JSON>` per chunk, ending with `data: [DONE]`.',
          },
          headers: { 'x-runyard-run-id': { description: 'The run behind this completion' } },
        },
      },
      errors: [400, 404, 409, 429, 503],
      handler: async ({ auth, body, req, res }) => {
        const tools = requestTools(toResponsesTools(body), s.runtime.serverTools ?? [])
        const turn = asMessagesError(() => toTurnInput(toResponsesInput(body.messages), undefined))
        if (turn.toolOutputs.length)
          throw new AppError(
            'bad_request',
            'bad_request',
            `A tool message answers tool_call_id "${turn.toolOutputs[0]!.callId.slice(0, 200)}", which no earlier assistant message called.`,
            { param: 'messages' },
          )
        if (
          turn.hasFiles &&
          s.runtime.models.resolve(body.model === 'default' ? undefined : body.model).acceptsFiles === false
        ) {
          throw new AppError(
            'bad_request',
            'bad_request',
            `The model "${body.model}" cannot read images or files; send text, or choose another model.`,
            { param: 'messages' },
          )
        }
        const maxTokens = body.max_completion_tokens ?? body.max_tokens
        const record = await s.responses.create(auth, {
          model: body.model,
          messages: turn.messages,
          background: false,
          store: false,
          clientTools: tools.clientTools,
          toolChoice: tools.toolChoice,
          parallelToolCalls: body.parallel_tool_calls ?? undefined,
          sampling: {
            ...(body.temperature != null ? { temperature: body.temperature } : {}),
            ...(body.top_p != null ? { topP: body.top_p } : {}),
            ...(maxTokens != null ? { maxOutputTokens: maxTokens } : {}),
            ...(body.presence_penalty != null ? { presencePenalty: body.presence_penalty } : {}),
            ...(body.frequency_penalty != null ? { frequencyPenalty: body.frequency_penalty } : {}),
          },
        })
        const header: CompletionHeader = {
          id: `chatcmpl-${record.runId.slice('run_'.length)}`,
          created: Math.floor(record.createdAt.getTime() / 1000),
          model: record.model,
          includeUsage: body.stream_options?.include_usage === true,
        }
        const runHeader = { 'x-runyard-run-id': record.runId }
        if (body.stream) {
          const projection = new ChatCompletionProjection(header)
          await pipeSse(
            req,
            res,
            (signal) => projectEvents(s.responses.streamEvents(auth, record, signal), projection),
            { headers: runHeader, inBandError: (e) => projection.failure(e) },
          )
          return undefined
        }
        const finished = await s.responses.waitForEnd(auth, record, clientGone(res))
        const projection = projectCompletion(header, await s.responses.events(auth, finished))
        const ending = projection.ending
        if (ending && typeof ending === 'object') {
          // Not a server fault to retry: the SDK would start another run (x-should-retry: false stops it).
          const error = {
            message: `The run ${finished.runId} ${ending.status === 'failed' ? 'failed' : 'was cancelled'}: ${ending.message}`,
            type: 'server_error',
            param: null,
            code: ending.code,
          }
          return { status: 500, body: { error }, headers: { ...runHeader, 'x-should-retry': 'false' } }
        }
        return { status: 200, body: projection.completion(), headers: runHeader }
      },
    }),
  })
}

/** The Responses conversion names `input[…]`; here the client sent `messages[…]`. */
function asMessagesError<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (!isAppError(err) || typeof err.details.param !== 'string') throw err
    const rename = (text: string) => text.replace(/\binput(?=\[|\b)/g, 'messages')
    throw new AppError(err.kind, err.code, rename(err.message), { ...err.details, param: rename(err.details.param) })
  }
}

// OpenAI-compatible Responses API (`/v1/responses`): create, retrieve (JSON or resumable SSE),
// cancel, delete, input items. Errors are `{error:{message,type,param,code}}` (the `openai`
// surface), so the official SDK raises its typed errors (BadRequestError, NotFoundError, …).
import { badRequest, ResponseId } from '@runyard/contract'
import { z } from 'zod'
import { operations, routeGroup } from '../../http/route.ts'
import { clientGone } from '../../http/client-gone.ts'
import { lastEventId } from '../../http/sse.ts'
import { openai } from '../../http/error-shapes.ts'
import type { Services } from '@runyard/services'
import { createExamples, exampleQueued, exampleResponse, STREAM_DESCRIPTION } from './examples.ts'
import { toInputItems, toTurnInput } from './input.ts'
import { admittedSnapshot, snapshotOf, streamResponse } from './present.ts'
import { CreateResponseBody } from './request.ts'
import { DeletedResponse, InputItemList, ResponseObject, StreamEvent } from './schemas.ts'
import { reportedSettings, samplingOf } from './settings.ts'
import { requestTools } from './tools.ts'

const IdParams = z.object({ id: ResponseId })
const flag = z.enum(['true', 'false'])

const RetrieveQuery = z.object({
  stream: flag
    .optional()
    .meta({ description: '`true`: stream the response as server-sent events (replayed from the log, then live).' }),
  starting_after: z.coerce
    .number()
    .int()
    .min(-1)
    .optional()
    .meta({ description: 'With `stream=true`: only events whose `sequence_number` is greater.' }),
})

const InputItemsQuery = z.object({
  after: z.string().optional().meta({ description: 'List items after this item id.' }),
  limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: '1–100, default 20.' }),
  order: z.enum(['asc', 'desc']).optional().meta({ description: 'Default `desc` (newest first), as OpenAI.' }),
})

const route = routeGroup({ tags: ['Responses'], surface: openai, auth: true })
const onResponse = route.on({ params: IdParams, errors: [404, 503] })

export function responsesRoutes(s: Services) {
  return operations({
    createResponse: route.post('/v1/responses', {
      summary: 'Create a response',
      description: `Runs the agent (tools, sandbox, server-side conversation state) on the input and answers in OpenAI's Responses format; the official \`openai\` SDK works unmodified with \`baseURL\` set to \`<runyard>/v1\`.

- Without \`previous_response_id\` a new session + chat is provisioned; with it, the turn continues that response's chat (the agent sees every earlier turn). The conversation is the chat's linear transcript: continuing from an older response also includes the turns made after it.
- Non-streaming: waits for the run to finish, at most \`RUNYARD_RESPONSES_TIMEOUT_MS\` (default 120 s); beyond that it answers the response as it is (\`in_progress\`) — poll it with \`GET /v1/responses/{id}\`.
- \`background: true\` answers at once with status \`queued\`.
- Output items: assistant text is \`message\` items; each server-side tool call is a \`function_call\` item followed by a \`function_call_output\` item with the tool's result (informational: the tools already ran — never send them back); exposed reasoning is a \`reasoning\` item.
- A conversation runs one response at a time: continuing one whose response is still in progress answers 409 naming it (\`chat_busy\`). Continuing a conversation whose session was archived answers 409 \`session_archived\`.`,
      body: CreateResponseBody,
      bodyExamples: createExamples,
      responses: {
        200: {
          description:
            'The response (`application/json`), finished, or queued/in progress for `background` or after the timeout.',
          schema: ResponseObject,
          example: exampleResponse,
          sse: { frame: StreamEvent, description: STREAM_DESCRIPTION },
        },
      },
      errors: [400, 404, 409, 429, 503],
      handler: async ({ auth, body, req, res }) => {
        if (body.background && body.store === false)
          throw badRequest(
            '`background: true` requires `store` to be true (a background response must be retrievable).',
            { param: 'store' },
          )
        const tools = requestTools(body, s.runtime.serverTools ?? [])
        const turn = toTurnInput(body.input, body.x_context)
        if (turn.toolOutputs.length && !body.previous_response_id) {
          throw badRequest(
            `No function_call with call_id "${turn.toolOutputs[0]!.callId.slice(0, 200)}" in the input, and no previous_response_id whose call it answers.`,
            { param: 'input' },
          )
        }
        if (
          turn.hasFiles &&
          s.runtime.models.resolve(body.model === 'default' ? undefined : body.model).acceptsFiles === false
        ) {
          throw badRequest(
            `The model "${body.model}" cannot read images or files; send text, or choose another model.`,
            { param: 'input' },
          )
        }
        const record = await s.responses.create(auth, {
          model: body.model,
          messages: turn.messages,
          toolOutputs: turn.toolOutputs,
          instructions: body.instructions ?? undefined,
          previousResponseId: body.previous_response_id ?? undefined,
          metadata: body.metadata ?? undefined,
          background: body.background ?? false,
          store: body.store ?? true,
          clientTools: tools.clientTools,
          toolChoice: tools.toolChoice,
          parallelToolCalls: body.parallel_tool_calls ?? undefined,
          sampling: samplingOf(body),
          echo: reportedSettings(body, tools.reported),
        })
        if (body.stream) return streamResponse(s, auth, record, req, res)
        // Background: the answer is the admission itself, whatever a worker has done since.
        if (body.background) return { status: 200, body: admittedSnapshot(record) }
        return {
          status: 200,
          body: await snapshotOf(s, auth, await s.responses.waitForResult(auth, record, clientGone(res))),
        }
      },
    }),
    getResponse: onResponse.get('/v1/responses/{id}', {
      summary: 'Retrieve a response',
      description:
        'The response as of now (any status). With `stream=true`, its events as server-sent events: replayed from the start of the log (or after `starting_after` / `Last-Event-ID`), then live until it finishes.',
      query: RetrieveQuery,
      responses: {
        200: {
          description: 'The response (`application/json`), or its event stream with `stream=true`.',
          schema: ResponseObject,
          example: exampleQueued,
          sse: { frame: StreamEvent, description: STREAM_DESCRIPTION },
        },
      },
      errors: [400],
      handler: async ({ auth, params, query, req, res }) => {
        const record = await s.responses.get(auth, params.id)
        if (query.stream === 'true') {
          const fromHeader = lastEventId(req, 'a sequence_number')
          return streamResponse(s, auth, record, req, res, query.starting_after ?? fromHeader ?? -1)
        }
        return { status: 200, body: await snapshotOf(s, auth, record) }
      },
    }),
    cancelResponse: onResponse.post('/v1/responses/{id}/cancel', {
      summary: 'Cancel a response',
      description:
        'Idempotent in every state: a queued response never runs, a running one stops (tool and model calls aborted, partial output kept) and ends `cancelled`, a finished one is returned unchanged.',
      responses: {
        200: {
          description: 'The response after the cancel request',
          schema: ResponseObject,
          example: { ...exampleQueued, status: 'cancelled' },
        },
      },
      handler: async ({ auth, params }) => ({
        status: 200,
        body: await snapshotOf(s, auth, await s.responses.cancel(auth, params.id)),
      }),
    }),
    deleteResponse: onResponse.delete('/v1/responses/{id}', {
      summary: 'Delete a response',
      description:
        'Cancels the response if it is still active, then deletes the response record: retrieve, cancel, input items and `previous_response_id` answer 404 for it afterwards. The underlying run and the chat transcript stay in their session (visible on the console and the other surfaces).',
      responses: {
        200: {
          description: 'Deleted',
          schema: DeletedResponse,
          example: { id: exampleResponse.id, object: 'response.deleted', deleted: true },
        },
      },
      handler: async ({ auth, params }) => {
        await s.responses.delete(auth, params.id)
        return { status: 200, body: { id: params.id, object: 'response.deleted', deleted: true } }
      },
    }),
    listResponseInputItems: onResponse.get('/v1/responses/{id}/input_items', {
      summary: 'List input items',
      description:
        'The messages this response added to the conversation, as the agent received them (an `x_context` line included).',
      query: InputItemsQuery,
      responses: {
        200: {
          description: 'A page of input items',
          schema: InputItemList,
          example: {
            object: 'list',
            data: [
              {
                type: 'message',
                id: 'msg_01JZ8Q6W3M4K2N5P7R9T1V3X60',
                role: 'user',
                status: 'completed',
                content: [{ type: 'input_text', text: 'List the files in the repository.' }],
              },
            ],
            first_id: 'msg_01JZ8Q6W3M4K2N5P7R9T1V3X60',
            last_id: 'msg_01JZ8Q6W3M4K2N5P7R9T1V3X60',
            has_more: false,
          },
        },
      },
      errors: [400],
      handler: async ({ auth, params, query }) => {
        const record = await s.responses.get(auth, params.id)
        let items = toInputItems(record.input)
        if (query.order !== 'asc') items = items.reverse()
        if (query.after) {
          const at = items.findIndex((i) => i.id === query.after)
          if (at < 0) throw badRequest(`No input item ${query.after} in response ${params.id}.`, { param: 'after' })
          items = items.slice(at + 1)
        }
        const limit = query.limit ?? 20
        const data = items.slice(0, limit)
        return {
          status: 200,
          body: {
            object: 'list',
            data,
            first_id: data[0]?.id ?? null,
            last_id: data.at(-1)?.id ?? null,
            has_more: items.length > limit,
          },
        }
      },
    }),
  })
}

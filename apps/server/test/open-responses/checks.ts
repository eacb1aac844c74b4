// Shared checks. A case collects every problem it finds (schema, behaviour, what the model was
// sent) and asserts the list is empty at the end, so one failing run shows everything that is
// missing or wrong, one line each.
import { expect } from 'vitest'
import { checkOrder, type Expectation, type Seen } from './model-view.ts'
import { formatSchemaProblems, schemaProblems, show } from './spec.ts'
import type { JsonReply } from './wire.ts'

export class Problems {
  readonly list: string[] = []
  add(message: string): void {
    if (!this.list.includes(message)) this.list.push(message)
  }
  check(ok: boolean, message: string): boolean {
    if (!ok) this.add(message)
    return ok
  }
  addAll(messages: Iterable<string>): void {
    for (const m of messages) this.add(m)
  }
  order(seen: Seen[], wants: Expectation[], context = 'model input'): void {
    const failure = checkOrder(seen, wants)
    if (failure) this.add(`${context}: ${failure}`)
  }
  /** The assertion of every case: no problem found. */
  assertNone(): void {
    expect(this.list, 'Open Responses conformance problems (one per line)').toEqual([])
  }
}

/**
 * A non-streaming success: HTTP 200, `Content-Type: application/json` (spec: "When not
 * streaming, servers MUST return data only as application/json"), a body that validates as a
 * ResponseResource. Returns the body, or undefined when there is no response object to check.
 */
export function responseBody(p: Problems, reply: JsonReply, where = 'response'): any {
  if (reply.status !== 200) {
    p.add(`${where}: expected HTTP 200 with a response object, got ${reply.status}: ${reply.text.slice(0, 400)}`)
    return undefined
  }
  p.check(
    reply.contentType.startsWith('application/json'),
    `${where}: Content-Type is ${show(reply.contentType)}, expected application/json`,
  )
  if (reply.body === undefined || typeof reply.body !== 'object') {
    p.add(`${where}: the body is not a JSON object: ${reply.text.slice(0, 200)}`)
    return undefined
  }
  p.addAll(formatSchemaProblems(`schema: ${where}`, schemaProblems('ResponseResource', reply.body)))
  return reply.body
}

/** A finished, successful response: status completed, completed_at set, no error, output present. */
export function checkCompleted(p: Problems, r: any, where = 'response'): void {
  if (
    !p.check(
      r?.status === 'completed',
      `${where}.status is ${show(r?.status)}, expected "completed"${r?.error ? ` (error: ${show(r.error)})` : ''}`,
    )
  )
    return
  p.check(
    Number.isInteger(r.completed_at),
    `${where}.completed_at is ${show(r.completed_at)}; a completed response records when it completed (integer Unix seconds)`,
  )
  p.check(r.error === null, `${where}.error is ${show(r.error)}, expected null for a completed response`)
  // spec, Chat Inference: "MUST return a response object with an output array containing model-produced items"
  p.check(
    Array.isArray(r.output) && r.output.length > 0,
    `${where}.output is ${show(r.output)}; a successful response contains the model-produced items`,
  )
}

/** The assistant messages' text, concatenated. */
export function assistantText(r: any): string {
  return (Array.isArray(r?.output) ? r.output : [])
    .filter((i: any) => i?.type === 'message' && i.role === 'assistant')
    .flatMap((i: any) => (Array.isArray(i.content) ? i.content : []))
    .filter((c: any) => c?.type === 'output_text')
    .map((c: any) => c.text)
    .join('')
}

/** The model's text came back as an assistant `message` item with `output_text` content. */
export function checkAssistantMessage(p: Problems, r: any, text: string, where = 'response'): void {
  const messages = (Array.isArray(r?.output) ? r.output : []).filter((i: any) => i?.type === 'message')
  if (
    !p.check(
      messages.length > 0,
      `${where}.output has no message item; the model's text ${show(text)} must come back as an assistant message (output types: ${show((r?.output ?? []).map((i: any) => i?.type))})`,
    )
  )
    return
  p.check(
    messages.every((m: any) => m.role === 'assistant'),
    `${where}.output message role(s) ${show(messages.map((m: any) => m.role))}, expected "assistant"`,
  )
  p.check(
    assistantText(r) === text,
    `${where}: the assistant text is ${show(assistantText(r))}, expected the model's ${show(text)}`,
  )
}

/**
 * Spec "Errors": `{ error: { message, type, param, code } }`; the error type names the category,
 * which maps to the HTTP status (invalid_request 400, not_found 404, too_many_requests 429,
 * server_error / model_error 500). The spec's own example spells the type with an `_error`
 * suffix (`invalid_request_error`), so both spellings are accepted.
 */
export const ERROR_TYPES_BY_STATUS: Record<number, string[]> = {
  400: ['invalid_request', 'invalid_request_error'],
  404: ['not_found', 'not_found_error'],
  429: ['too_many_requests', 'too_many_requests_error'],
  500: ['server_error', 'model_error'],
}

export function errorObject(p: Problems, reply: JsonReply, where = 'error response'): any {
  p.check(
    reply.contentType.startsWith('application/json'),
    `${where}: Content-Type is ${show(reply.contentType)}, expected application/json`,
  )
  const e = reply.body?.error
  if (
    !p.check(
      e !== null && typeof e === 'object',
      `${where}: the body must be an error object {"error": {message, type, param, code}}, got ${reply.text.slice(0, 300)}`,
    )
  )
    return undefined
  p.check(
    typeof e.message === 'string' && e.message.length > 0,
    `${where}: error.message must be a non-empty human-readable string, got ${show(e.message)}`,
  )
  p.check(typeof e.type === 'string', `${where}: error.type must be a string, got ${show(e.type)}`)
  p.check(
    'param' in e && (e.param === null || typeof e.param === 'string'),
    `${where}: error.param must be present (a string or null), got ${show(e.param)}`,
  )
  p.check(
    'code' in e && (e.code === null || typeof e.code === 'string'),
    `${where}: error.code must be present (a string or null), got ${show(e.code)}`,
  )
  const types = ERROR_TYPES_BY_STATUS[reply.status]
  if (types)
    p.check(
      types.includes(e.type),
      `${where}: error.type ${show(e.type)} does not match HTTP ${reply.status}; the spec's type for it is ${types.map((t) => `"${t}"`).join(' / ')}`,
    )
  return e
}

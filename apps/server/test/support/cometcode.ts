// Test helpers for the CometCode surface: an INDEPENDENT validator built from the seed's OpenAPI
// file (not from our /openapi.json), a JSON schema for SSE frames derived from the seed's frame
// description and examples, and an SSE reader.
import fs from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import YAML from 'yaml'
import { createOpenApiValidator, type OpenApiValidator } from './openapi-validator.ts'
import type { TestServer } from './server.ts'

export const SEED_PATH = '/work/shared/seeds/cometcode-local-serve.openapi.yaml'

export type SeedDoc = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: string }> }> }> }
    >
  >
  components: { schemas: Record<string, object> }
}

export function loadSeed(): SeedDoc {
  return YAML.parse(fs.readFileSync(SEED_PATH, 'utf8')) as SeedDoc
}

/**
 * The seed declares the SSE body as a string; its description lists the event names and fields
 * (`tool_call.input` opaque JSON, `tool_result.output` text) and its examples show every frame's
 * exact field set. This schema says exactly that, with no extra fields allowed.
 */
export function seedFrameSchema(seed: SeedDoc): object {
  const str = { type: 'string' }
  const frame = (type: string, props: Record<string, object> = {}) => ({
    type: 'object',
    additionalProperties: false,
    required: ['type', ...Object.keys(props)],
    properties: { type: { const: type }, ...props },
  })
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    oneOf: [
      frame('text_delta', { delta: str }),
      frame('reasoning_start'),
      frame('reasoning_delta', { text: str }),
      frame('tool_call', { id: str, tool: str, input: {} }),
      frame('tool_result', { id: str, tool: str, output: str }),
      frame('step_finish', { usage: seed.components.schemas.TokenUsage! }),
      frame('error', { message: str, code: str }),
      frame('done'),
    ],
  }
}

/** The `data:` JSON objects of an SSE body. */
export function parseSseBody(body: string): unknown[] {
  return body
    .split(/\n\n/)
    .flatMap((block) =>
      block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim()),
    )
    .filter(Boolean)
    .map((d) => JSON.parse(d) as unknown)
}

export interface CometClient {
  seed: OpenApiValidator
  /** JSON request; the response is validated against the seed AND the server's own document. */
  call(
    path: string,
    init?: { method?: string; json?: unknown; body?: string; headers?: Record<string, string>; key?: string },
  ): Promise<{ status: number; body: any }>
  /** Opens `POST …/message`; JSON errors come back as `{status, body}`, streams as `frames()`. */
  send(sessionId: string, text: unknown, opts?: { key?: string; signal?: AbortSignal }): Promise<CometStream>
  /** Validates one frame against the seed-derived schema and the server's own frame schema. */
  checkFrame(frame: unknown): void
}

export interface CometStream {
  status: number
  contentType: string | null
  body?: any
  /** Frames as they arrive, each validated. */
  frames(): AsyncGenerator<any>
  /** Reads to the end. */
  all(): Promise<any[]>
}

export async function cometClient(s: TestServer): Promise<CometClient> {
  const seedDoc = loadSeed()
  const seed = await createOpenApiValidator(seedDoc)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  const validateFrame = ajv.compile(seedFrameSchema(seedDoc))
  const checkFrame = (frame: unknown) => {
    if (!validateFrame(frame))
      throw new Error(
        `SSE frame does not match the seed: ${ajv.errorsText(validateFrame.errors)}\n${JSON.stringify(frame)}`,
      )
    s.openapi.checkSseFrame('POST', '/api/v1/sessions/x/message', frame)
  }
  const headersFor = (init: { json?: unknown; headers?: Record<string, string>; key?: string }) => {
    const h: Record<string, string> = { ...init.headers }
    if (init.json !== undefined) h['content-type'] = 'application/json'
    if (init.key) h['x-api-key'] = init.key
    return h
  }
  return {
    seed,
    checkFrame,
    async call(path, init = {}) {
      const method = init.method ?? 'GET'
      const res = await fetch(`${s.url}${path}`, {
        method,
        headers: headersFor(init),
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      })
      const text = await res.text()
      const contentType = res.headers.get('content-type')
      const body = text && (contentType ?? '').includes('json') ? JSON.parse(text) : text || undefined
      seed.check(method, path, res.status, contentType, body)
      s.openapi.check(method, path, res.status, contentType, body)
      return { status: res.status, body }
    },
    async send(sessionId, text, opts = {}) {
      const path = `/api/v1/sessions/${sessionId}/message`
      const res = await fetch(`${s.url}${path}`, {
        method: 'POST',
        headers: headersFor({ json: {}, key: opts.key }),
        body: JSON.stringify(text === undefined ? {} : { text }),
        signal: opts.signal,
      })
      const contentType = res.headers.get('content-type')
      if (!(contentType ?? '').startsWith('text/event-stream')) {
        const body = JSON.parse(await res.text())
        seed.check('POST', path, res.status, contentType, body)
        s.openapi.check('POST', path, res.status, contentType, body)
        return { status: res.status, contentType, body, frames: async function* () {}, all: async () => [] }
      }
      seed.check('POST', path, res.status, contentType, '')
      s.openapi.check('POST', path, res.status, contentType, '')
      async function* frames() {
        const reader = res.body!.getReader()
        const decoder = new TextDecoder()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += decoder.decode(value, { stream: true })
          let cut: number
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            for (const frame of parseSseBody(`${block}\n\n`)) {
              checkFrame(frame)
              yield frame
            }
          }
        }
        if (buffer.trim()) throw new Error(`SSE stream ended mid-frame: ${buffer}`)
      }
      const iter = frames()
      return {
        status: res.status,
        contentType,
        frames: () => iter,
        async all() {
          const out: any[] = []
          for await (const f of iter) out.push(f)
          return out
        },
      }
    },
  }
}

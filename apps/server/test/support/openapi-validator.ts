// Validates HTTP responses against an OpenAPI 3.1 document with Ajv (JSON Schema 2020-12),
// independently of the server's zod schemas.
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

type Doc = {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >
}

export interface OpenApiValidator {
  /** Throws with a readable message when the response does not match the document. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void
  /** Validates one SSE frame's JSON against the 200 text/event-stream schema of the operation. */
  checkSseFrame(method: string, path: string, frame: unknown): void
  document: Doc
}

export async function createOpenApiValidator(source: string | object): Promise<OpenApiValidator> {
  const doc = (await SwaggerParser.dereference(structuredClone(source) as never)) as unknown as Doc
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
  const cache = new Map<object, ValidateFunction>()
  const compile = (schema: object) => {
    let v = cache.get(schema)
    if (!v) cache.set(schema, (v = ajv.compile(schema)))
    return v
  }
  const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
  const operation = (method: string, path: string) => {
    const clean = path.split('?')[0]!
    const match = templates.find(({ re }) => re.test(clean))
    if (!match) throw new Error(`OpenAPI: no path matches ${clean}`)
    const op = doc.paths[match.t]![method.toLowerCase()]
    if (!op) throw new Error(`OpenAPI: ${method} ${match.t} is not documented`)
    return { op, template: match.t }
  }
  const fail = (what: string, v: ValidateFunction, body: unknown) => {
    throw new Error(
      `OpenAPI: ${what} does not match the document:\n${ajv.errorsText(v.errors, { separator: '\n' })}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
    )
  }
  return {
    document: doc,
    check(method, path, status, contentType, body) {
      const { op, template } = operation(method, path)
      const response = op.responses?.[String(status)] ?? op.responses?.default
      if (!response)
        throw new Error(
          `OpenAPI: ${method} ${template} does not document status ${status} (body: ${JSON.stringify(body).slice(0, 500)})`,
        )
      if (!response.content) {
        if (body !== undefined && body !== '')
          throw new Error(`OpenAPI: ${method} ${template} ${status} documents no body`)
        return
      }
      const type = (contentType ?? '').split(';')[0]!.trim()
      const media = response.content[type]
      if (!media) throw new Error(`OpenAPI: ${method} ${template} ${status} does not document content type "${type}"`)
      if (!media.schema || type === 'text/event-stream') return
      const v = compile(media.schema)
      if (!v(body)) fail(`${method} ${template} ${status}`, v, body)
    },
    checkSseFrame(method, path, frame) {
      const { op, template } = operation(method, path)
      const schema = op.responses?.['200']?.content?.['text/event-stream']?.schema as { type?: string } | undefined
      if (!schema || schema.type === 'string') return
      const v = compile(schema)
      if (!v(frame)) fail(`SSE frame of ${method} ${template}`, v, frame)
    },
  }
}

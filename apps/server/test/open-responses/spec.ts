// The Open Responses OpenAPI document (openapi.json beside this file, see README.md for its
// source and license) as JSON Schema 2020-12 validators, with failure messages that name the
// field and say what is wrong with it.
//
// One transformation is applied before compiling: a `oneOf` whose branches are all objects told
// apart by a single-valued `type` (what the document marks with `discriminator: {propertyName:
// "type"}`) becomes "type must be one of …, and if type is X then <branch X>". That is the same
// set of valid values, but a failing item is reported against its own branch only (a broken
// `function_call` item says which `function_call` field is wrong instead of listing why it is not
// a message, a reasoning item, … as well).
import fs from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

type Json = Record<string, any>

export const SPEC_FILE = new URL('./openapi.json', import.meta.url)
export const spec: Json = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8'))
const components: Json = spec.components.schemas

function resolveLocal(schema: Json): Json {
  const ref = schema.$ref as string | undefined
  return ref?.startsWith('#/components/schemas/')
    ? (components[ref.slice('#/components/schemas/'.length)] ?? schema)
    : schema
}

/** The single `type` value of an object schema (`properties.type.enum: [x]`), if it has one. */
function typeTag(schema: Json): string | undefined {
  const e = resolveLocal(schema)?.properties?.type?.enum
  return Array.isArray(e) && e.length === 1 && typeof e[0] === 'string' ? e[0] : undefined
}

function discriminate(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(discriminate)
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) out[k] = discriminate(v)
  const branches = out.oneOf as Json[] | undefined
  if (!Array.isArray(branches)) return out
  const tags = branches.map(typeTag)
  if (tags.some((t) => t === undefined) || new Set(tags).size !== tags.length) return out
  const { oneOf: _oneOf, discriminator: _d, ...rest } = out
  return {
    ...rest,
    type: 'object',
    required: ['type'],
    properties: { type: { enum: tags } },
    allOf: branches.map((branch, i) => ({
      if: { required: ['type'], properties: { type: { const: tags[i] } } },
      then: branch,
    })),
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
ajv.addSchema({ ...spec, components: { ...spec.components, schemas: discriminate(components) } }, 'open-responses')

const compiled = new Map<string, ValidateFunction>()
function validator(component: string): ValidateFunction {
  if (!components[component]) throw new Error(`open-responses spec: no component schema "${component}"`)
  let v = compiled.get(component)
  if (!v) compiled.set(component, (v = ajv.compile({ $ref: `open-responses#/components/schemas/${component}` })))
  return v
}

/** `/output/0/status` → `.output[0].status` */
export function displayPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: any = root
  for (const s of pointer.split('/').slice(1)) v = v?.[s.replace(/~1/g, '/').replace(/~0/g, '~')]
  return v
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing'
  const s = JSON.stringify(v)
  return s.length > 120 ? `${s.slice(0, 117)}…` : s
}

export interface SchemaProblem {
  /** Where, relative to the validated value (`''` = the value itself, `.output[0].status`). */
  path: string
  text: string
}

function describe(e: ErrorObject, root: unknown): SchemaProblem {
  const path = displayPath(e.instancePath)
  const got = show(valueAt(root, e.instancePath))
  const p = e.params
  switch (e.keyword) {
    case 'required':
      return { path, text: `required field \`${p.missingProperty}\` is missing` }
    case 'type':
      return { path, text: `must be ${p.type}, got ${got}` }
    case 'enum':
      return {
        path,
        text: `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}, got ${got}`,
      }
    case 'const':
      return { path, text: `must be ${JSON.stringify(p.allowedValue)}, got ${got}` }
    default:
      return { path, text: `${e.message ?? e.keyword}, got ${got}` }
  }
}

/**
 * Validates `value` against a component of the spec (`ResponseResource`, `CreateResponseBody`,
 * `ResponseCompletedStreamingEvent`, …); an empty list when it conforms.
 */
export function schemaProblems(component: string, value: unknown): SchemaProblem[] {
  const v = validator(component)
  if (v(value)) return []
  let errors = v.errors ?? []
  // The summary errors of combinators say nothing the errors of their branches don't.
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword))
  if (specific.length) errors = specific
  // "X or null" fields: the null branch's "must be null" only repeats that the X branch failed.
  errors = errors.filter(
    (e) =>
      !(
        e.keyword === 'type' &&
        (e.params as { type?: string }).type === 'null' &&
        errors.some(
          (o) => o !== e && (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
        )
      ),
  )
  const seen = new Set<string>()
  const out: SchemaProblem[] = []
  for (const e of errors) {
    const d = describe(e, value)
    const key = `${d.path}|${d.text}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(d)
    }
  }
  return out
}

export function formatSchemaProblems(where: string, problems: SchemaProblem[]): string[] {
  return problems.map((p) => `${where}${p.path}: ${p.text}`)
}

/** Streaming event type → the component that defines it (from the 200 `text/event-stream` schema). */
export const STREAM_EVENT_COMPONENTS: ReadonlyMap<string, string> = (() => {
  const refs = spec.paths['/responses'].post.responses['200'].content['text/event-stream'].schema.oneOf as {
    $ref: string
  }[]
  const map = new Map<string, string>()
  for (const { $ref } of refs) {
    const name = $ref.slice('#/components/schemas/'.length)
    const tag = typeTag(components[name])
    if (!tag) throw new Error(`open-responses spec: streaming event ${name} has no single type value`)
    map.set(tag, name)
  }
  return map
})()

/**
 * Problems of one streamed event: spec event types are validated against their schema; other
 * types are allowed only as extensions prefixed with an implementor slug (`acme:trace_event`),
 * which need `type` and an integer `sequence_number` (spec: "Extending streaming events").
 */
export function streamEventProblems(event: unknown): SchemaProblem[] {
  const type = (event as { type?: unknown } | null)?.type
  if (typeof type !== 'string') return [{ path: '.type', text: `must be a string naming the event, got ${show(type)}` }]
  const component = STREAM_EVENT_COMPONENTS.get(type)
  if (component) return schemaProblems(component, event)
  if (!/^[a-z0-9_-]+:/i.test(type)) {
    return [
      {
        path: '',
        text: `event type "${type}" is not defined by the spec, and is not an extension event (those MUST be prefixed with an implementor slug, e.g. "acme:${type}")`,
      },
    ]
  }
  const seq = (event as { sequence_number?: unknown }).sequence_number
  return Number.isInteger(seq)
    ? []
    : [{ path: '.sequence_number', text: `extension events MUST carry an integer sequence_number, got ${show(seq)}` }]
}

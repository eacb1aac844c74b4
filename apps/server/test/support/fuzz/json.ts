// JSON values for the fuzzer: generated from a JSON Schema (OpenAPI request bodies, tRPC inputs
// converted with z.toJSONSchema), then mutated as an attacker would, down to the raw bytes.
import type { Rng } from './rng.ts'
import { HOSTILE_STRINGS, RAW_NUMBERS, UNKNOWN_KEYS, WRONG_TYPE_VALUES } from './values.ts'

export type IdKind =
  | 'session'
  | 'chat'
  | 'run'
  | 'response'
  | 'workspace'
  | 'key'
  | 'account'
  | 'webhookEndpoint'
  | 'webhookMessage'
  | 'item'
  | 'path'

/** Supplies ids and model names while generating (knows the acting account and the fixtures). */
export interface IdSource {
  id(kind: IdKind): string
  model(): string
}

export interface GenCtx {
  rng: Rng
  ids: IdSource
  /** The schema the `$ref`s point into (`#/$defs/…`, `#/components/schemas/…`). */
  root: unknown
}

type Schema = Record<string, any>

const PROMPTS = [
  'Summarise the README',
  'hi',
  'List the files in the repository.',
  'What does this project do?',
  'Fix the flaky test',
  'ok',
  'Explain main.go in one sentence.',
]

/**
 * Prompts the test executor (ScriptedExecutor) plays as a script: runs that reason, call tools,
 * fail, throw, stream slowly (so they are still active when other requests arrive), or put NUL and
 * lone surrogates in tool output (JSON escapes here, real characters once the executor parses them).
 */
const SCRIPTS: readonly unknown[][] = [
  [
    { reasoning: 'thinking it over' },
    { tool: 'read_file', input: { path: 'main.go' }, output: 'package main' },
    { text: 'The entrypoint is main.go.' },
    { step: { input: 12, output: 3 } },
  ],
  [
    { tool: 'bash', input: { cmd: 'cat bin' }, output: 'a\u0000b\ud800c', isError: true },
    { text: 'tool failed' },
    { step: { input: 1, output: 1 } },
  ],
  [{ text: 'partial' }, { fail: 'llm', message: 'scripted model failure' }],
  [{ text: 'before' }, { throw: 'scripted executor crash' }],
  [{ text: 'slow', chunks: 4, delayMs: 250 }, { sleep: 1500 }, { text: ' end' }, { step: { input: 2, output: 2 } }],
  [{ subAgent: 'sub-agent work' }, { text: 'after the sub-agent' }, { step: { input: 5, output: 5 } }],
  [{ burst: 500, size: 64 }, { step: { input: 1, output: 500 } }],
  [{ text: 'emoji 😀 and \u0000 in text' }, { step: { input: 1, output: 1 } }],
]

function prompt(rng: Rng): string {
  return rng.chance(0.25) ? JSON.stringify({ script: rng.pick(SCRIPTS) }).replace(/\\\\u/g, '\\u') : rng.pick(PROMPTS)
}

function resolve(schema: unknown, root: unknown): Schema | undefined {
  let s = schema as Schema | undefined
  for (let i = 0; s && typeof s === 'object' && typeof s.$ref === 'string' && i < 20; i++) {
    const parts = s.$ref.replace(/^#\//, '').split('/')
    let t: any = root
    for (const p of parts) t = t?.[decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~'))]
    s = t
  }
  return s && typeof s === 'object' ? s : undefined
}

/** Which kind of id a string field holds, from its pattern or its name. */
export function idKindOf(name: string | undefined, pattern: string | undefined): IdKind | undefined {
  const byPrefix: Record<string, IdKind> = {
    sess_: 'session',
    chat_: 'chat',
    run_: 'run',
    ws_: 'workspace',
    key_: 'key',
    acct_: 'account',
    resp_: 'response',
    whep_: 'webhookEndpoint',
    whmsg_: 'webhookMessage',
  }
  const m = pattern && /^\^([a-z]+_)/.exec(pattern)
  if (m && byPrefix[m[1]!]) return byPrefix[m[1]!]
  switch (name) {
    case 'sessionId':
    case 'session_id':
      return 'session'
    case 'chatId':
      return 'chat'
    case 'runId':
      return 'run'
    case 'previous_response_id':
      return 'response'
    case 'workspaceId':
    case 'workspace_id':
      return 'workspace'
    case 'keyId':
      return 'key'
    case 'accountId':
      return 'account'
    case 'endpointId':
      return 'webhookEndpoint'
    case 'messageId':
      return 'webhookMessage'
    case 'workspacePath':
    case 'workspace_path':
      return 'path'
    case 'after':
      return 'item'
  }
  return undefined
}

function fit(s: string, schema: Schema): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
  if (s.length < min) s = s + 'x'.repeat(min - s.length)
  if (s.length > max) s = s.slice(0, max)
  return s
}

function stringFor(schema: Schema, name: string | undefined, ctx: GenCtx): string {
  const { rng } = ctx
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined
  const kind = idKindOf(name, pattern)
  if (kind) return ctx.ids.id(kind)
  if (schema.format === 'uri') return rng.pick(['https://github.com/acme/api.git', 'https://example.com/repo.git'])
  if (schema.format === 'date-time') return new Date(Date.now() + rng.int(1, 30) * 86_400_000).toISOString()
  if (pattern === '^tool-.+') return `tool-${rng.pick(['read_file', 'bash', 'grep'])}`
  if (pattern === '^data-.+') return `data-${rng.pick(['note', 'x'])}`
  if (pattern && /\\d\+\$$/.test(pattern)) return String(rng.int(0, 5))
  switch (name) {
    case 'model':
    case 'modelId':
    case 'model_id':
      return ctx.ids.model()
    case 'providerId':
    case 'provider_id':
      return 'test'
    case 'prompt':
    case 'text':
    case 'input':
      return fit(prompt(rng), schema)
    case 'instructions':
      return fit(rng.pick(PROMPTS), schema)
    case 'title':
      return fit(`Fuzz ${rng.alnum(6)}`, schema)
    case 'name':
      return fit(`fuzz-${rng.alnum(6)}`, schema)
    case 'type':
      return rng.pick(['input_text', 'output_text'])
    case 'repoOwner':
      return 'acme'
    case 'repoName':
      return 'api'
    case 'branch':
      return rng.pick(['main', 'fuzz/branch'])
    case 'mediaType':
      return 'text/plain'
    case 'url':
      return 'https://example.com/a.txt'
  }
  return fit(rng.pick(['alpha', 'beta', 'gamma', 'delta']) + rng.alnum(rng.int(0, 8)), schema)
}

function numberFor(schema: Schema, rng: Rng, integer: boolean): number {
  const lo =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 0
  const hi =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1
        : lo + 100
  const v = lo + rng.next() * (Math.min(hi, lo + 100) - lo)
  return integer ? Math.round(v) : v
}

/** Fields where a valid request carries exactly one of the pair. */
const EXCLUSIVE: [string, string][] = [
  ['prompt', 'messages'],
  ['workspace_id', 'workspace_path'],
  ['workspaceId', 'workspacePath'],
  ['id', 'chatId'],
]

/** A (mostly) valid value for `schema`. */
export function generate(schema: unknown, ctx: GenCtx, name?: string, depth = 0): unknown {
  const { rng } = ctx
  const s = resolve(schema, ctx.root)
  if (!s || depth > 8) return rng.pick(['x', 1, true, null, { a: 1 }])
  if (s.const !== undefined) return s.const
  if (Array.isArray(s.enum) && s.enum.length) return rng.pick(s.enum)
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined
  if (Array.isArray(branches) && branches.length) {
    const nonNull = branches.filter((b) => resolve(b, ctx.root)?.type !== 'null')
    // Prefer text parts for UI messages, so valid turns carry text.
    const text = nonNull.find((b) => (resolve(b, ctx.root)?.properties?.type?.enum ?? [])[0] === 'text')
    const pick = text && rng.chance(0.7) ? text : rng.pick(nonNull.length && rng.chance(0.9) ? nonNull : branches)
    return generate({ ...s, anyOf: undefined, oneOf: undefined, ...resolve(pick, ctx.root) }, ctx, name, depth + 1)
  }
  if (Array.isArray(s.allOf) && s.allOf.length)
    return generate(Object.assign({}, ...s.allOf.map((x: unknown) => resolve(x, ctx.root))), ctx, name, depth + 1)
  let type = s.type as string | string[] | undefined
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null')
    type = nonNull.length && rng.chance(0.9) ? rng.pick(nonNull) : rng.pick(type)
  }
  if (!type) type = s.properties ? 'object' : s.items ? 'array' : undefined
  switch (type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>
      const required = new Set<string>(Array.isArray(s.required) ? s.required : [])
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(props))
        if (required.has(k) || rng.chance(0.45)) out[k] = generate(v, ctx, k, depth + 1)
      for (const [x, y] of EXCLUSIVE) {
        if (!(x in props) || !(y in props) || required.has(x) || required.has(y)) continue
        if (x in out && y in out) delete out[rng.chance(0.5) ? x : y]
        else if (!(x in out) && !(y in out) && x !== 'id') {
          const k = rng.chance(0.5) ? x : y
          out[k] = generate(props[k], ctx, k, depth + 1)
        }
      }
      if (!s.properties && s.additionalProperties && rng.chance(0.6)) {
        for (let i = rng.int(1, 3); i > 0; i--)
          out[`k${rng.alnum(3)}`] = generate(
            s.additionalProperties === true ? {} : s.additionalProperties,
            ctx,
            undefined,
            depth + 1,
          )
      }
      return out
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0
      const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, min + 3)
      const n = rng.int(Math.max(min, name === 'messages' || name === 'parts' ? 1 : 0), Math.max(min, max))
      return Array.from({ length: n }, () =>
        generate(s.items ?? {}, ctx, name === 'messages' ? 'message' : undefined, depth + 1),
      )
    }
    case 'string':
      return stringFor(s, name, ctx)
    case 'integer':
      return numberFor(s, rng, true)
    case 'number':
      return numberFor(s, rng, false)
    case 'boolean':
      return rng.chance(0.5)
    case 'null':
      return null
  }
  return rng.pick<unknown>(['free', 42, { note: 'x' }, [1, 2], true])
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** A mutated JSON payload: its bytes and a short description for reports. */
export interface Payload {
  bytes: Buffer
  summary: string
  label?: string
}

interface Slot {
  parent: Record<string, unknown> | unknown[]
  key: string | number
  value: unknown
  /** The key of the parent in its own parent (x_context for x_context.k). */
  parentKey?: string | number
}

function slots(root: { root: unknown }): Slot[] {
  const out: Slot[] = []
  const walk = (
    parent: Record<string, unknown> | unknown[],
    key: string | number,
    value: unknown,
    depth: number,
    parentKey?: string | number,
  ) => {
    out.push({ parent, key, value, parentKey })
    if (depth > 6 || out.length > 300 || !value || typeof value !== 'object') return
    if (Array.isArray(value)) value.forEach((v, i) => walk(value, i, v, depth + 1, key))
    else for (const [k, v] of Object.entries(value)) walk(value as Record<string, unknown>, k, v, depth + 1, key)
  }
  walk(root, 'root', root.root, 0)
  return out
}

const set = (slot: Slot, v: unknown) => ((slot.parent as Record<string | number, unknown>)[slot.key] = v)

export const BODY_MUTATIONS = [
  ['wrong-type', 3],
  ['missing-field', 2],
  ['unknown-field', 2],
  ['nul-in-string', 3],
  ['lone-surrogate', 3],
  ['hostile-string', 2.5],
  ['huge-string', 0.6],
  ['many-items', 0.3],
  ['deep-nesting', 0.7],
  ['top-level', 1.5],
  ['invalid-json', 1.5],
  ['dup-keys', 1],
  ['raw-number', 0.8],
  ['raw-invalid-utf8', 0.8],
  ['proto-pollution', 0.8],
  ['empty', 0.5],
  ['bom', 0.3],
] as const

/** Mutations that keep a payload small enough for a URL (tRPC GET `?input=`). */
const SMALL_EXCLUDED = new Set(['huge-string', 'many-items', 'deep-nesting'])

export function deepText(rng: Rng): { text: string; depth: number } {
  // Mostly thousands of levels; sometimes just past what a server might allow (64, 100, 1000…).
  const depth = rng.chance(0.2) ? rng.pick([65, 100, 257, 1_000, 2_049]) : rng.int(5_000, 12_000)
  switch (rng.int(0, 2)) {
    case 0:
      return { text: '['.repeat(depth) + ']'.repeat(depth), depth }
    case 1:
      return { text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), depth }
    default:
      return { text: '[{"a":'.repeat(depth / 2) + 'null' + '}]'.repeat(depth / 2), depth }
  }
}

const MARK = '__FUZZ_RAW__'

/** Fields whose schema accepts any JSON value (or any values of an object). */
const FREE_FORM_KEYS = new Set(['x_context', 'metadata', 'input', 'output', 'data', 'providerMetadata', 'checkpoint'])

function summarize(text: string, what?: string): string {
  const shown = text.length <= 400 ? text : `${text.slice(0, 160)}…${text.slice(-40)}`
  const escaped = JSON.stringify(shown).slice(1, -1)
  return what ? `<${what}, ${text.length} chars> ${escaped}` : escaped
}

/**
 * Mutates `value` (a valid payload) once; returns the bytes to send. `small` keeps it URL-sized.
 */
export function mutate(value: unknown, rng: Rng, opts: { small?: boolean } = {}): Payload {
  const choices = BODY_MUTATIONS.filter(([m]) => !opts.small || !SMALL_EXCLUDED.has(m))
  const kind = rng.weighted(choices)
  const box = { root: structuredClone(value) }
  const all = slots(box)
  const strings = all.filter((s) => typeof s.value === 'string')
  const objects = all.filter((s) => s.value && typeof s.value === 'object' && !Array.isArray(s.value)) as (Slot & {
    value: Record<string, unknown>
  })[]
  const inner = all.filter((s) => s.key !== 'root' || all.length === 1)
  let raw: string | undefined
  const stringSlot = (): Slot => {
    if (strings.length) return rng.pick(strings)
    if (typeof box.root === 'object' && box.root && !Array.isArray(box.root)) {
      const key = rng.pick(['prompt', 'text', 'title', 'name', 'input'])
      ;(box.root as Record<string, unknown>)[key] = 'x'
      return { parent: box.root as Record<string, unknown>, key, value: 'x' }
    }
    return all[0]!
  }
  const out = (text: string | Buffer, what?: string): Payload => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
    return { bytes, summary: typeof text === 'string' ? summarize(text, what) : `<${what}>`, label: `body:${kind}` }
  }
  switch (kind) {
    case 'wrong-type':
      set(rng.pick(all), rng.pick(WRONG_TYPE_VALUES))
      break
    case 'missing-field': {
      const withKeys = objects.filter((o) => Object.keys(o.value).length)
      if (withKeys.length) {
        const o = rng.pick(withKeys)
        delete o.value[rng.pick(Object.keys(o.value))]
      } else box.root = {}
      break
    }
    case 'unknown-field': {
      const target = objects.length ? rng.pick(objects).value : ((box.root = {}) as Record<string, unknown>)
      target[rng.pick(UNKNOWN_KEYS)] = rng.pick(WRONG_TYPE_VALUES)
      break
    }
    case 'nul-in-string': {
      const slot = stringSlot()
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the fallback slot may hold an object: any text will do
      const v = String((slot.parent as Record<string | number, unknown>)[slot.key] ?? '')
      const at = rng.int(0, v.length)
      set(slot, v.slice(0, at) + rng.pick(['\u0000', '\u0000\u0000', 'a\u0000']) + v.slice(at))
      break
    }
    case 'lone-surrogate': {
      const slot = stringSlot()
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the fallback slot may hold an object: any text will do
      const v = String((slot.parent as Record<string | number, unknown>)[slot.key] ?? '')
      const at = rng.int(0, v.length)
      set(slot, v.slice(0, at) + rng.pick(['\ud800', '\udc00', '\udbff', '\ud83d']) + v.slice(at))
      break
    }
    case 'hostile-string':
      set(stringSlot(), rng.pick(HOSTILE_STRINGS))
      break
    case 'huge-string': {
      const size = rng.int(256 * 1024, 3 * 1024 * 1024)
      set(stringSlot(), rng.pick(['x', 'ü', '😀', ' ']).repeat(Math.ceil(size / 2)))
      break
    }
    case 'many-items':
      set(
        rng.pick(all),
        Array.from({ length: rng.int(50_000, 150_000) }, (_, i) => (i % 3 === 0 ? 'x' : i)),
      )
      break
    case 'deep-nesting': {
      const { text, depth } = deepText(rng)
      if (rng.chance(0.25) || !inner.length) return out(text, `JSON nested ${depth} deep`)
      // Mostly where the schema takes any JSON (x_context, metadata, tool input/output, data parts),
      // so that the value gets past validation to the code that stores or prints it.
      const free = inner.filter((x) => FREE_FORM_KEYS.has(String(x.key)) || FREE_FORM_KEYS.has(String(x.parentKey)))
      set(free.length && rng.chance(0.75) ? rng.pick(free) : rng.pick(inner), MARK)
      raw = text
      const json = JSON.stringify(box.root).replace(`"${MARK}"`, raw)
      return out(json, `JSON with a value nested ${depth} deep`)
    }
    case 'top-level':
      box.root = rng.pick<unknown>([42, -1, 'a string', '', null, true, false, [], [box.root], [1, 2, 3]])
      break
    case 'invalid-json': {
      const json = JSON.stringify(box.root) ?? 'null'
      const broken = rng.pick([
        json.slice(0, Math.max(1, json.length - rng.int(1, 5))),
        `${json}garbage`,
        json.replace(/"/g, "'"),
        `${json.slice(0, -1)},}`,
        `{"a":NaN}`,
        `{"a":undefined}`,
        `// comment\n${json}`,
        '{',
        ']',
        '{"a" 1}',
        '{"a":"unterminated',
        '{"a":"\\x41"}',
        '{"a":"\\uZZZZ"}',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        ' ',
        'nul\u0000l',
        `${json}${json}`,
      ])
      return out(broken, 'invalid JSON')
    }
    case 'dup-keys': {
      const root =
        box.root && typeof box.root === 'object' && !Array.isArray(box.root)
          ? (box.root as Record<string, unknown>)
          : { prompt: 'x' }
      const keys = Object.keys(root)
      const k = keys.length ? rng.pick(keys) : 'prompt'
      const other = JSON.stringify(rng.pick(WRONG_TYPE_VALUES))
      const body = JSON.stringify(root).slice(1, -1)
      const text = rng.chance(0.5)
        ? `{${JSON.stringify(k)}:${other}${body ? `,${body}` : ''}}`
        : `{${body ? `${body},` : ''}${JSON.stringify(k)}:${other}}`
      return out(text, 'duplicated key')
    }
    case 'raw-number': {
      set(rng.pick(all), MARK)
      return out(JSON.stringify(box.root).replace(`"${MARK}"`, rng.pick(RAW_NUMBERS)))
    }
    case 'raw-invalid-utf8': {
      const slot = stringSlot()
      set(slot, MARK)
      const [before, after] = JSON.stringify(box.root).split(MARK) as [string, string]
      const bad = rng.pick([
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from([0xe0, 0xa4]),
        Buffer.from([0x00]),
      ])
      return {
        bytes: Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]),
        summary: `${summarize(before + '\\x' + bad.toString('hex') + after)} (raw bytes 0x${bad.toString('hex')} inside a string)`,
        label: 'body:raw-invalid-utf8',
      }
    }
    case 'proto-pollution': {
      const json = JSON.stringify(box.root && typeof box.root === 'object' && !Array.isArray(box.root) ? box.root : {})
      const extra = rng.pick([
        '"__proto__":{"isAdmin":true,"accountId":"acct_b"}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"__proto__":null',
      ])
      return out(json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`, 'prototype keys')
    }
    case 'empty':
      return out('', 'empty body')
    case 'bom':
      return out(`\ufeff${JSON.stringify(box.root)}`, 'BOM-prefixed JSON')
  }
  const text = JSON.stringify(box.root) ?? 'null'
  return out(text, text.length > 400 ? 'JSON' : undefined)
}

/** A valid payload's bytes. */
export function serialize(value: unknown): Payload {
  const text = JSON.stringify(value) ?? 'null'
  return { bytes: Buffer.from(text), summary: summarize(text) }
}

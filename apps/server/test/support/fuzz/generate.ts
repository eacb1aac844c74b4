// Request generation: the targets come from /openapi.json (every documented operation, the
// undocumented methods of its paths, unknown paths under each REST prefix) and from the tRPC
// router (every procedure, batches, wrong methods, unknown procedures). Request `n` is built
// from its own PRNG seeded with (seed, n), so it can be rebuilt alone (RUNYARD_FUZZ_ONLY).
import { generate, idKindOf, mutate, serialize, type IdKind, type IdSource, type Payload } from './json.ts'
import { mixSeed, Rng } from './rng.ts'
import { ACCEPTS, CONTENT_TYPES, HOSTILE_STRINGS, ID_PREFIX, LAST_EVENT_IDS, pct, SEGMENT_VARIANTS } from './values.ts'

export type Actor = 'a' | 'b'
export type SurfaceName = 'rest' | 'cometcode' | 'openai'

export interface AccountFixtures {
  key: string
  expiredKey: string
  revokedKey: string
  ids: Record<IdKind, string[]>
  /** Ids that destructive calls (DELETE, archive) use, so the rest of the data stays usable. */
  disposable: Partial<Record<IdKind, string[]>>
}
export type Fixtures = Record<Actor, AccountFixtures>

export type Expectation =
  /** A documented operation: validated against /openapi.json. */
  | { type: 'op'; method: string; template: string }
  /** HEAD on a path with a documented GET: a status the GET documents, no body. */
  | { type: 'head'; template: string }
  /** No route: a JSON 404/405 in the surface's error shape (either of two for a bare prefix). */
  | { type: 'no-route'; surfaces: (SurfaceName | 'any')[] }
  | { type: 'trpc'; jsonl: boolean }
  | { type: 'openapi'; method: string }

export interface FuzzRequest {
  n: number
  method: string
  /** Raw path + query, sent as is. */
  path: string
  headers: Record<string, string | string[]>
  body?: Buffer
  bodySummary?: string
  /** Send the body in two chunks (`transfer-encoding: chunked`). */
  chunked?: boolean
  /** What the request aimed at, for grouping: `GET /api/sessions/{sessionId}`, `trpc sessions.get`… */
  target: string
  /** Sent this many times at once (races on the same resource). */
  repeat?: number
  /** The only acceptable statuses (a body over the limit: 413). */
  statusIn?: number[]
  labels: string[]
  expect: Expectation
}

interface Param {
  name: string
  schema: unknown
  required: boolean
}

export interface Operation {
  method: string
  template: string
  pathParams: Param[]
  queryParams: Param[]
  body?: { schema: unknown; examples: unknown[] }
  sse: boolean
}

export interface Procedure {
  path: string
  type: 'query' | 'mutation' | 'subscription'
  /** JSON Schema of the input (z.toJSONSchema), undefined when the procedure takes none. */
  input?: unknown
}

type Target =
  | { kind: 'op'; op: Operation }
  | { kind: 'method'; template: string; method: string }
  | { kind: 'head'; op: Operation }
  | { kind: 'unknown'; prefix: '/api' | '/api/v1' | '/v1' }
  | { kind: 'trpc-call'; proc: Procedure }
  | { kind: 'trpc-wrong-method'; proc: Procedure }
  | { kind: 'trpc-batch' }
  | { kind: 'trpc-unknown' }
  | { kind: 'trpc-malformed'; proc: Procedure }
  | { kind: 'openapi'; method: string }

export interface FuzzModel {
  ops: Operation[]
  procs: Procedure[]
  /** Every target once: the first requests cover them all (valid first, then broken). */
  coverage: Target[]
  groups: [Target['kind'], number][]
  byKind: Map<Target['kind'], Target[]>
  templates: { template: string; re: RegExp }[]
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']

export function buildModel(doc: { paths: Record<string, Record<string, any>> }, procs: Procedure[]): FuzzModel {
  const ops: Operation[] = []
  const coverage: Target[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    const documented = Object.keys(item).filter((m) => METHODS.includes(m.toUpperCase()))
    for (const m of documented) {
      const op = item[m]
      const params: any[] = op.parameters ?? []
      const json = op.requestBody?.content?.['application/json']
      const operation: Operation = {
        method: m.toUpperCase(),
        template,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema, required: true })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: Boolean(p.required) })),
        body: json
          ? { schema: json.schema, examples: Object.values(json.examples ?? {}).map((e: any) => e.value) }
          : undefined,
        sse: Object.values(op.responses ?? {}).some((r: any) => r?.content?.['text/event-stream']),
      }
      ops.push(operation)
      coverage.push({ kind: 'op', op: operation })
      if (operation.method === 'GET') coverage.push({ kind: 'head', op: operation })
    }
    for (const method of METHODS)
      if (!documented.includes(method.toLowerCase())) coverage.push({ kind: 'method', template, method })
  }
  for (const prefix of ['/api', '/api/v1', '/v1'] as const) coverage.push({ kind: 'unknown', prefix })
  for (const proc of procs) coverage.push({ kind: 'trpc-call', proc }, { kind: 'trpc-wrong-method', proc })
  coverage.push({ kind: 'trpc-batch' }, { kind: 'trpc-unknown' }, { kind: 'trpc-malformed', proc: procs[0]! })
  for (const method of ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS']) coverage.push({ kind: 'openapi', method })
  const byKind = new Map<Target['kind'], Target[]>()
  for (const t of coverage) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t])
  for (const proc of procs)
    byKind.set('trpc-malformed', [...(byKind.get('trpc-malformed') ?? []), { kind: 'trpc-malformed', proc }])
  const groups: [Target['kind'], number][] = [
    ['op', 46],
    ['method', 7],
    ['head', 2],
    ['unknown', 6],
    ['trpc-call', 20],
    ['trpc-wrong-method', 3],
    ['trpc-batch', 8],
    ['trpc-unknown', 3],
    ['trpc-malformed', 3],
    ['openapi', 2],
  ]
  const templates = Object.keys(doc.paths).map((t) => ({
    template: t,
    re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i'),
  }))
  return { ops, procs, coverage, groups, byKind, templates }
}

// ---------------------------------------------------------------------------------------------

class Builder {
  readonly labels = new Set<string>()
  readonly headers: Record<string, string | string[]> = {}
  /** Set for calls that destroy what they name (DELETE, archive): ids come from the disposable pools. */
  destructive = false
  constructor(
    readonly rng: Rng,
    readonly fx: Fixtures,
    readonly actor: Actor,
    /** false: a valid-looking request; true: mutated. */
    readonly broken: boolean,
    readonly procs: Procedure[],
  ) {}

  get other(): Actor {
    return this.actor === 'a' ? 'b' : 'a'
  }

  ids(): IdSource {
    return {
      id: (kind) => this.id(kind),
      model: () => this.rng.pick(['scripted', 'scripted-large', 'default', 'scripted']),
    }
  }

  /** An id of `kind`: the actor's own mostly, sometimes the other account's or an unknown one. */
  id(kind: IdKind): string {
    const { rng } = this
    const pool = (who: Actor) => (this.destructive && this.fx[who].disposable[kind]) || this.fx[who].ids[kind] || []
    const own = pool(this.actor)
    const foreign = pool(this.other)
    const r = rng.next()
    if (r < 0.72 && own.length) return rng.pick(own)
    if (r < 0.9 && foreign.length) {
      this.labels.add('id:other-account')
      return rng.pick(foreign)
    }
    this.labels.add('id:unknown')
    if (kind === 'path') return `${own[0] ? own[0].replace(/\/[^/]*$/, '') : '/tmp'}/new-${rng.alnum(8)}`
    if (kind === 'account') return `acct_${rng.alnum(10)}`
    return `${ID_PREFIX[kind] ?? 'x_'}${rng.alnum(26)}`
  }

  realId(kind: IdKind): string {
    return this.rng.pick(
      this.fx[this.actor].ids[kind]?.length ? this.fx[this.actor].ids[kind] : ['sess_01JABCDEFGHJKMNPQRSTVWXYZ0'],
    )
  }

  /** Authentication headers: the actor's key, or (broken) a hostile variant. */
  auth(mutated: boolean) {
    const { rng } = this
    const key = this.fx[this.actor].key
    const other = this.fx[this.other].key
    if (!mutated) {
      if (rng.chance(0.7)) this.headers['x-api-key'] = key
      else this.headers.authorization = `Bearer ${key}`
      return
    }
    const variants: [string, () => void][] = [
      ['none', () => {}],
      ['other-account-key', () => (this.headers['x-api-key'] = other)],
      [
        'garbage-key',
        () =>
          (this.headers['x-api-key'] = rng.pick([
            `ry_live_${rng.alnum(32)}`,
            'x',
            'null',
            'undefined',
            `${key}x`,
            key.slice(0, -1),
            key.toUpperCase(),
            ' ',
            '%00',
            '\u00ff\u00fe',
          ])),
      ],
      ['long-key', () => (this.headers['x-api-key'] = 'A'.repeat(rng.int(2000, 8000)))],
      ['expired-key', () => (this.headers['x-api-key'] = this.fx[this.actor].expiredKey)],
      ['revoked-key', () => (this.headers['x-api-key'] = this.fx[this.actor].revokedKey)],
      [
        'bearer-variant',
        () =>
          (this.headers.authorization = rng.pick([
            'Bearer',
            'Bearer ',
            `bearer ${key}`,
            `Bearer    ${key}   `,
            `Token ${key}`,
            `Bearer ${key} extra`,
            `Bearer ${rng.alnum(40)}`,
            `BEARER ${key}`,
            `Bearer\t${key}`,
          ])),
      ],
      ['basic-auth', () => (this.headers.authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`)],
      [
        'garbage-key-valid-bearer',
        () => ((this.headers['x-api-key'] = `ry_${rng.alnum(20)}`), (this.headers.authorization = `Bearer ${key}`)),
      ],
      [
        'valid-key-garbage-bearer',
        () => ((this.headers['x-api-key'] = key), (this.headers.authorization = `Bearer ${rng.alnum(30)}`)),
      ],
      ['duplicated-key-header', () => (this.headers['x-api-key'] = [key, other])],
      ['empty-authorization', () => (this.headers.authorization = '')],
    ]
    const [label, apply] = rng.pick(variants)
    this.labels.add(`auth:${label}`)
    apply()
  }

  /** Odd headers (Last-Event-ID, Accept, encodings, proxies). */
  oddHeader(hasBody: boolean) {
    const { rng } = this
    const variants: [string, () => void][] = [
      ['last-event-id', () => (this.headers['last-event-id'] = rng.pick(LAST_EVENT_IDS))],
      ['accept', () => (this.headers.accept = rng.pick(ACCEPTS))],
      [
        'x-forwarded-for',
        () => (this.headers['x-forwarded-for'] = rng.pick(['garbage', '::1, 1.2.3.4', '"><', '999.999.999.999'])),
      ],
      ['method-override', () => (this.headers['x-http-method-override'] = rng.pick(['DELETE', 'PUT', 'GET']))],
      ['origin', () => (this.headers.origin = 'http://evil.example')],
      ['cookie', () => (this.headers.cookie = `session=${rng.alnum(20)}; ${'a=b; '.repeat(rng.int(1, 50))}`)],
      ['range', () => (this.headers.range = 'bytes=0-1')],
      ['accept-encoding', () => (this.headers['accept-encoding'] = rng.pick(['gzip', 'br', 'identity;q=0', 'bogus']))],
    ]
    if (hasBody)
      variants.push([
        'content-encoding',
        () =>
          (this.headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'])),
      ])
    const [label, apply] = rng.pick(variants)
    this.labels.add(`hdr:${label}`)
    apply()
  }

  contentType(mutated: boolean) {
    if (!mutated) {
      this.headers['content-type'] = 'application/json'
      return
    }
    const [label, type] = this.rng.pick(CONTENT_TYPES)
    this.labels.add(`ctype:${label}`)
    if (type !== undefined) this.headers['content-type'] = type
  }

  /** A hostile path segment (or query value) standing for an id of `kind`. */
  hostileSegment(kind: IdKind, where: 'path' | 'query'): string {
    const v = this.rng.pick(SEGMENT_VARIANTS)
    this.labels.add(`${where}:${v.label}`)
    return v.make(this.rng, this.realId(kind))
  }
}

/** Calls that destroy or hide what they name: their ids come from the disposable pools. */
const DESTRUCTIVE = /archive|delete|remove|revoke/i

function kindForPathParam(template: string, name: string): IdKind {
  const k = idKindOf(name, undefined)
  if (k) return k
  if (template.startsWith('/v1/responses')) return 'response'
  if (template.startsWith('/api/v1/sessions')) return 'session'
  return 'session'
}

function scalarString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** Query string for an operation: documented parameters (valid or mutated), unknown ones. */
function queryFor(b: Builder, op: Operation | undefined, mutated: boolean): string {
  const { rng } = b
  const parts: string[] = []
  const params = op?.queryParams ?? []
  const ctx = { rng, ids: b.ids(), root: {} }
  // One object schema for all of them, so that exclusive pairs (workspace_id / workspace_path) hold.
  const schema = {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  }
  const values = params.length ? (generate(schema, ctx) as Record<string, unknown>) : {}
  for (const [k, v] of Object.entries(values)) parts.push(`${k}=${pct(scalarString(v))}`)
  if (mutated) {
    const name =
      params.length && rng.chance(0.8)
        ? rng.pick(params).name
        : rng.pick(['limit', 'after', 'stream', 'x', '__proto__', 'constructor', 'input'])
    const variant = rng.pick([
      'hostile-value',
      'wrong-type',
      'array',
      'bracket',
      'no-value',
      'unknown-param',
      'huge',
      'raw-garbage',
      'nested',
    ])
    if (variant !== 'hostile-value') b.labels.add(`query:${variant}`)
    switch (variant) {
      case 'hostile-value': {
        const kind = idKindOf(name, undefined) ?? 'session'
        parts.push(`${name}=${b.hostileSegment(kind, 'query')}`)
        break
      }
      case 'wrong-type':
        parts.push(
          `${name}=${pct(rng.pick(['abc', '-5', '0', '1e400', '1.5', '', 'true', '99999999999999999999', '-0', '0x1F', 'Infinity', 'NaN', ' 1 ']))}`,
        )
        break
      case 'array':
        parts.push(`${name}=1`, `${name}=2`)
        break
      case 'bracket':
        parts.push(rng.pick([`${name}[]=1`, `${name}[a]=1`, `${name}[0]=1&${name}[1]=2`, `${name}[__proto__][x]=1`]))
        break
      case 'no-value':
        parts.push(name)
        break
      case 'unknown-param':
        parts.push(
          `${rng.pick(['zzz', '__proto__', 'constructor', 'toString', 'accountId', 'account_id', 'debug'])}=${pct(rng.pick(HOSTILE_STRINGS))}`,
        )
        break
      case 'huge':
        parts.push(`${name}=${'A'.repeat(rng.int(3000, 7000))}`)
        break
      case 'raw-garbage':
        parts.push(
          rng.pick([
            '&&&==&',
            '%',
            '%E0%A4%A=1',
            '=x',
            '%00=%00',
            `${name}=%`,
            `${name}=%E0%A4%A`,
            `${name}=%ED%A0%80`,
            `${name}=%00`,
          ]),
        )
        break
      case 'nested':
        parts.push(`${name}=${pct(JSON.stringify({ $gt: '' }))}`)
        break
    }
  }
  return parts.length ? `?${rng.sample(parts, parts.length).join('&')}` : ''
}

function documentedMatch(model: FuzzModel, path: string): boolean {
  const clean = path.split('?')[0]!
  return model.templates.some(({ re }) => re.test(clean))
}

function surfacesFor(path: string): (SurfaceName | 'any')[] {
  const p = path.split('?')[0]!
  if (p === '/api/v1' || p === '/api/v1/') return ['cometcode', 'rest']
  if (p.startsWith('/api/v1/')) return ['cometcode']
  if (p === '/v1' || p === '/v1/') return ['openai', 'rest']
  if (p.startsWith('/v1/')) return ['openai']
  return ['rest']
}

const UNKNOWN_WORDS = [
  'nope',
  'admin',
  'users',
  'models',
  'chat/completions',
  'embeddings',
  'files',
  'debug',
  'metrics',
  'internal',
  'config',
  'v2',
  'graphql',
  '.env',
  '.git/config',
  'swagger.json',
  'sessions-x',
  'runs',
  'keys',
  'workspaces',
]

function unknownPath(b: Builder, model: FuzzModel, prefix: '/api' | '/api/v1' | '/v1'): string {
  const { rng } = b
  for (let attempt = 0; attempt < 20; attempt++) {
    const word = rng.pick(UNKNOWN_WORDS)
    const seg = rng.chance(0.3) ? b.hostileSegment('session', 'path') : rng.alnum(rng.int(1, 12))
    const candidates: Record<typeof prefix, string[]> = {
      '/api': [
        `/api/${word}`,
        `/api/sessions/${b.realId('session')}/${word}`,
        `/api/chat/runs/${b.realId('run')}/${word}`,
        `/api/chat/${b.realId('chat')}/${word}`,
        `/api/chat/runs/${b.realId('run')}/events/${seg}`,
        `/api/${seg}`,
        '/api',
        '/api/',
        `/api/sessions/${seg}/chats`,
        '/api/%2e%2e/openapi.json',
        `/api/sessions/..%2F..%2F${word}`,
      ],
      '/api/v1': [
        `/api/v1/${word}`,
        `/api/v1/sessions/${b.realId('session')}/${word}`,
        `/api/v1/sessions/${seg}/nope/deeper`,
        `/api/v1/${seg}`,
        '/api/v1',
        '/api/v1/',
        '/api/v1/health/x',
        '/api/v1/workspaces',
      ],
      '/v1': [
        `/v1/${word}`,
        `/v1/responses/${b.realId('response')}/${word}`,
        `/v1/responses/${seg}/nope/deeper`,
        `/v1/${seg}`,
        '/v1',
        '/v1/',
        '/v1/models',
        '/v1/chat/completions',
        '/v1/responses/input_items/x/y',
      ],
    }
    const path = rng.pick(candidates[prefix])
    if (!documentedMatch(model, path)) return path
  }
  return `${prefix}/nope-${rng.alnum(6)}/x/y`
}

// ---------------------------------------------------------------------------------------------

function applyBody(b: Builder, req: Partial<FuzzRequest>, p: Payload) {
  req.body = p.bytes
  req.bodySummary = p.summary
  if (p.label) b.labels.add(p.label)
}

function opRequest(b: Builder, op: Operation, n: number, method = op.method, expect?: Expectation): FuzzRequest {
  const { rng } = b
  const cats: [string, number][] = []
  if (op.pathParams.length) cats.push(['path', 3])
  cats.push(['query', op.queryParams.length ? 2 : 0.6])
  if (op.body) cats.push(['body', 5], ['ctype', 1.5])
  else cats.push(['get-body', 0.3])
  cats.push(['auth', 1.5], ['header', 1.2], ['trailing-slash', 0.2])
  const chosen = new Set<string>()
  if (b.broken) {
    const count = rng.weighted([
      [1, 0.72],
      [2, 0.2],
      [3, 0.08],
    ] as const)
    while (chosen.size < Math.min(count, cats.length)) chosen.add(rng.weighted(cats))
  }
  b.destructive = method === 'DELETE' || DESTRUCTIVE.test(op.template)
  let path = op.template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const kind = kindForPathParam(op.template, name)
    return chosen.has('path') && (op.pathParams.length === 1 || rng.chance(0.7))
      ? b.hostileSegment(kind, 'path')
      : pct(b.id(kind))
  })
  if (chosen.has('trailing-slash')) {
    path += '/'
    b.labels.add('path:trailing-slash')
  }
  path += queryFor(b, op, chosen.has('query'))
  b.auth(chosen.has('auth'))
  if (op.sse && rng.chance(0.25)) b.headers['last-event-id'] = rng.pick(['0', '1', '2', '5'])
  if (op.sse && rng.chance(0.2)) b.headers.accept = 'text/event-stream'
  if (chosen.has('header')) b.oddHeader(Boolean(op.body))
  const req: Partial<FuzzRequest> = {}
  if (op.body) {
    b.contentType(chosen.has('ctype'))
    const ctx = { rng, ids: b.ids(), root: {} }
    const valid =
      op.body.examples.length && rng.chance(0.2)
        ? structuredClone(rng.pick(op.body.examples))
        : generate(op.body.schema, ctx)
    applyBody(b, req, chosen.has('body') ? mutate(valid, rng) : serialize(valid))
    if (b.broken && rng.chance(0.05)) {
      req.chunked = true
      b.labels.add('hdr:chunked')
    }
  } else if (chosen.has('get-body')) {
    b.labels.add('body:on-bodyless-route')
    b.headers['content-type'] = 'application/json'
    applyBody(b, req, rng.chance(0.5) ? serialize({ prompt: 'x', accountId: 'acct_b' }) : mutate({ a: 'x' }, rng))
  }
  return {
    n,
    method,
    path,
    headers: b.headers,
    ...req,
    target: `${method} ${op.template}`,
    labels: [...b.labels],
    expect: expect ?? { type: 'op', method, template: op.template },
  }
}

// ---------------------------------------------------------------------------------------------
// tRPC

const UNKNOWN_PROCEDURES = [
  'nope',
  'sessions',
  'sessions.',
  '.sessions',
  'sessions..get',
  'sessions.get.x',
  'SESSIONS.GET',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'system.__proto__',
  '__proto__.health',
  'system.constructor',
  'sessions/get',
  'keys.delete',
  'runs.start.mutate',
  '',
  '%00',
  'sessions.get%00',
  '%E0%A4%A',
  '%ED%A0%80',
  pct('sessions.😀'),
  'sessions.get%2Fx',
  'a'.repeat(3000),
]

function trpcInputPayload(b: Builder, proc: Procedure, mutated: boolean, small: boolean): Payload | undefined {
  b.destructive = DESTRUCTIVE.test(proc.path)
  const ctx = { rng: b.rng, ids: b.ids(), root: proc.input }
  const value = proc.input ? generate(proc.input, ctx) : b.rng.chance(0.8) ? undefined : {}
  if (!mutated) return value === undefined ? undefined : serialize(value)
  return mutate(value ?? {}, b.rng, { small })
}

/** `?input=` from payload bytes (every byte outside unreserved ASCII percent-encoded). */
function pctBytes(bytes: Buffer): string {
  let out = ''
  for (const c of bytes)
    out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(c))
      ? String.fromCharCode(c)
      : `%${c.toString(16).toUpperCase().padStart(2, '0')}`
  return out
}

function trpcRequest(b: Builder, target: Target, n: number): FuzzRequest {
  const { rng } = b
  const req: Partial<FuzzRequest> = {}
  let jsonl = false
  let method = 'GET'
  let path = '/trpc/'
  let label: string
  const mutateInput = b.broken && rng.chance(0.6)
  if (b.broken && rng.chance(0.3)) b.auth(true)
  else b.auth(false)
  if (b.broken && rng.chance(0.15)) b.oddHeader(false)
  const send = (proc: Procedure, how: 'GET' | 'POST', mutated: boolean) => {
    method = how
    path += proc.path
    const small = how === 'GET'
    const payload = trpcInputPayload(b, proc, mutated, small)
    if (how === 'GET') {
      if (payload) path += `?input=${pctBytes(payload.bytes)}`
      req.bodySummary = payload ? `input=${payload.summary}` : undefined
      if (payload?.label) b.labels.add(payload.label)
    } else {
      if (payload) applyBody(b, req, payload)
      b.contentType(b.broken && rng.chance(0.2))
    }
  }
  switch (target.kind) {
    case 'trpc-call': {
      label = `trpc ${target.proc.path}`
      send(target.proc, target.proc.type === 'mutation' ? 'POST' : 'GET', mutateInput)
      if (target.proc.type === 'subscription' && rng.chance(0.4)) {
        b.headers['last-event-id'] = rng.pick(LAST_EVENT_IDS)
        b.labels.add('hdr:last-event-id')
      }
      break
    }
    case 'trpc-wrong-method': {
      label = `trpc ${target.proc.path} (wrong method)`
      const how = target.proc.type === 'mutation' ? 'GET' : 'POST'
      send(target.proc, how, mutateInput)
      if (rng.chance(0.3)) method = rng.pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      b.labels.add(`trpc:method-${method}`)
      break
    }
    case 'trpc-batch': {
      label = 'trpc batch'
      const kind = rng.weighted([
        ['query', 0.6],
        ['mutation', 0.25],
        ['mixed', 0.15],
      ] as const)
      const pool = kind === 'mixed' ? b.procs : b.procs.filter((p) => p.type === kind)
      const count = rng.chance(0.05) ? rng.int(30, 120) : rng.int(2, 8)
      const procs = Array.from({ length: count }, () => rng.pick(pool))
      if (rng.chance(0.1)) {
        procs[rng.int(0, procs.length - 1)] = {
          path: rng.pick(UNKNOWN_PROCEDURES.filter((p) => p && p.length < 100)),
          type: 'query',
        }
        b.labels.add('trpc:batch-unknown-procedure')
      }
      method = kind === 'mutation' ? 'POST' : kind === 'query' ? 'GET' : rng.pick(['GET', 'POST'])
      const inputs: Record<string, unknown> = {}
      procs.forEach((p, i) => {
        b.destructive = DESTRUCTIVE.test(p.path)
        const ctx = { rng, ids: b.ids(), root: p.input }
        if (p.input) inputs[String(i)] = generate(p.input, ctx)
      })
      b.destructive = false
      let payload = serialize(inputs)
      if (mutateInput) {
        const variant = rng.pick(['mutate-one', 'array', 'non-object', 'missing-index', 'extra-index', 'whole'])
        b.labels.add(`trpc:batch-${variant}`)
        if (variant === 'mutate-one' && Object.keys(inputs).length) {
          const k = rng.pick(Object.keys(inputs))
          const one = mutate(inputs[k], rng, { small: method === 'GET' })
          if (one.label) b.labels.add(one.label)
          const rest = JSON.stringify({ ...inputs, [k]: '__ONE__' })
          payload = {
            bytes: Buffer.concat(
              rest.split('"__ONE__"').flatMap((s, i) => (i ? [one.bytes, Buffer.from(s)] : [Buffer.from(s)])),
            ),
            summary: `${rest.slice(0, 200)} with ${k} = ${one.summary}`,
          }
        } else if (variant === 'array') payload = serialize(Object.values(inputs))
        else if (variant === 'non-object') payload = serialize(rng.pick<unknown>([1, 'x', null, true]))
        else if (variant === 'missing-index') {
          delete inputs['0']
          payload = serialize(inputs)
        } else if (variant === 'extra-index') payload = serialize({ ...inputs, 999: { x: 1 }, '-1': 1, __proto__x: 1 })
        else payload = mutate(inputs, rng, { small: method === 'GET' })
      }
      path += procs.map((p) => p.path).join(',')
      path += `?batch=${b.broken && rng.chance(0.1) ? rng.pick(['0', 'true', '2', '', '%00']) : '1'}`
      if (method === 'GET') {
        path += `&input=${pctBytes(payload.bytes)}`
        req.bodySummary = `input=${payload.summary}`
      } else {
        applyBody(b, req, payload)
        b.contentType(b.broken && rng.chance(0.15))
      }
      if (rng.chance(0.2)) {
        b.headers['trpc-accept'] = 'application/jsonl'
        jsonl = true
        b.labels.add('trpc:jsonl')
      }
      break
    }
    case 'trpc-unknown': {
      label = 'trpc unknown procedure'
      const name = rng.pick(UNKNOWN_PROCEDURES)
      method = rng.pick(['GET', 'POST'])
      path += name
      if (rng.chance(0.3)) path += `?input=${pct('{"sessionId":"sess_x"}')}`
      if (method === 'POST') applyBody(b, req, serialize({ x: 1 }))
      if (method === 'POST') b.contentType(false)
      break
    }
    case 'trpc-malformed': {
      label = `trpc ${target.proc.path} (malformed query)`
      const proc = target.proc
      method = proc.type === 'mutation' ? 'POST' : 'GET'
      path += proc.path
      const q = rng.pick([
        '?input=%E0%A4%A',
        '?input=%',
        '?input={',
        '?input=',
        '?input=undefined',
        '?input=null',
        '?input=1&input=2',
        '?input[a]=1',
        '?input[__proto__][x]=1',
        '?batch=1',
        '?batch=1&input=[]',
        '?batch=1&input=null',
        `?batch=1&input=${pct('{"0":{"__proto__":{"x":1}}}')}`,
        '?input=%00',
        `?input=${pct('"\u0000"')}`,
        `?input=${pct(JSON.stringify({ sessionId: '\ud800' }))}`,
        `?input=${pct(JSON.stringify({ runId: 'run_x', lastEventId: '\u0000' }))}`,
        `?input=${'%5B'.repeat(1500)}${'%5D'.repeat(1500)}`,
        '?input=%ED%A0%80',
        '?input="a"&batch=1',
      ])
      b.labels.add(`trpc:query ${q.length > 40 ? `${q.slice(0, 30)}…` : q}`)
      path += q
      if (method === 'POST') {
        applyBody(b, req, serialize({}))
        b.contentType(false)
      }
      break
    }
    default:
      throw new Error(`not a tRPC target: ${target.kind}`)
  }
  return {
    n,
    method,
    path,
    headers: b.headers,
    ...req,
    target: label,
    labels: [...b.labels],
    expect: { type: 'trpc', jsonl },
  }
}

// ---------------------------------------------------------------------------------------------

/** How many requests carry a body over 10 MiB (spread evenly over the run). */
export const OVERSIZED_EVERY = 1_700

export function buildRequest(model: FuzzModel, fx: Fixtures, seed: number, n: number): FuzzRequest {
  const rng = new Rng(mixSeed(seed, n))
  const cov = model.coverage.length
  let target: Target
  let broken: boolean
  if (n < cov) {
    target = model.coverage[n]!
    broken = false
  } else if (n < 2 * cov) {
    target = model.coverage[n - cov]!
    broken = true
  } else {
    const kind = rng.weighted(model.groups)
    target = rng.pick(model.byKind.get(kind)!)
    broken = rng.chance(0.65)
  }
  const actor: Actor = rng.chance(0.5) ? 'a' : 'b'
  const b = new Builder(rng, fx, actor, broken, model.procs)

  if (n >= 2 * cov && n % OVERSIZED_EVERY === OVERSIZED_EVERY - 1) return oversized(b, model, n)
  const request = targetRequest(b, model, target, n)
  // Now and then the same request several times at once: races on one resource (a chat, a workspace path, a key).
  if (n >= 2 * cov && rng.chance(0.03) && (request.body?.length ?? 0) < 100_000) {
    request.repeat = rng.int(2, 4)
    request.labels.push(`race:x${request.repeat}`)
  }
  return request
}

function targetRequest(b: Builder, model: FuzzModel, target: Target, n: number): FuzzRequest {
  const { rng, broken } = b
  switch (target.kind) {
    case 'op':
      return opRequest(b, target.op, n)
    case 'head': {
      const r = opRequest(b, target.op, n, 'HEAD', { type: 'head', template: target.op.template })
      return { ...r, target: `HEAD ${target.op.template}` }
    }
    case 'method': {
      const documented = model.ops.find((o) => o.template === target.template)!
      const r = opRequest(b, documented, n, target.method, { type: 'no-route', surfaces: [] })
      if (!r.body && ['POST', 'PUT', 'PATCH'].includes(target.method) && rng.chance(0.6)) {
        r.headers['content-type'] = 'application/json'
        r.body = Buffer.from(JSON.stringify({ prompt: 'x' }))
        r.bodySummary = '{"prompt":"x"}'
      }
      return {
        ...r,
        target: `(undocumented method) ${target.template}`,
        expect: { type: 'no-route', surfaces: surfacesFor(target.template) },
      }
    }
    case 'unknown': {
      const path = unknownPath(b, model, target.prefix)
      const method = rng.weighted([
        ['GET', 5],
        ['POST', 3],
        ['PUT', 0.5],
        ['DELETE', 0.5],
        ['PATCH', 0.3],
        ['OPTIONS', 0.3],
      ] as const)
      b.auth(broken && rng.chance(0.5))
      const req: Partial<FuzzRequest> = {}
      if (method !== 'GET' && method !== 'DELETE' && method !== 'OPTIONS') {
        b.contentType(broken && rng.chance(0.2))
        applyBody(b, req, broken && rng.chance(0.5) ? mutate({ prompt: 'x' }, rng) : serialize({ prompt: 'x' }))
      }
      const full = path + (broken && rng.chance(0.3) ? queryFor(b, undefined, true) : '')
      return {
        n,
        method,
        path: full,
        headers: b.headers,
        ...req,
        target: `unknown ${target.prefix}/*`,
        labels: [...b.labels],
        expect: { type: 'no-route', surfaces: surfacesFor(path) },
      }
    }
    case 'openapi': {
      const q = broken ? rng.pick(['?x=%E0%A4%A', '?%00', '?a[b]=1', '', '?format=yaml']) : ''
      if (q) b.labels.add(`query:${q}`)
      if (broken) b.auth(true)
      return {
        n,
        method: target.method,
        path: `/openapi.json${q}`,
        headers: b.headers,
        target: `${target.method} /openapi.json`,
        labels: [...b.labels],
        expect: { type: 'openapi', method: target.method },
      }
    }
    default:
      return trpcRequest(b, target, n)
  }
}

/** A body over 10 MiB (the limit) to a route that reads one. */
function oversized(b: Builder, model: FuzzModel, n: number): FuzzRequest {
  const { rng } = b
  const size = rng.int(10 * 1024 * 1024 + 1024, 12 * 1024 * 1024)
  const filler = 'x'.repeat(size)
  b.auth(false)
  b.labels.add('body:oversized')
  const summary = `<JSON object of ${(size / 1024 / 1024).toFixed(1)} MiB> {"prompt":"xxxx…"}`
  const bodyOps = model.ops.filter((o) => o.body)
  const mutations = model.procs.filter((p) => p.type === 'mutation')
  if (rng.chance(0.75) || !mutations.length) {
    const op = rng.pick(bodyOps)
    const path = op.template.replace(/\{(\w+)\}/g, (_m, name: string) => pct(b.id(kindForPathParam(op.template, name))))
    b.contentType(rng.chance(0.3))
    // As JSON, the body must be refused for its size (413); typed otherwise, refusing the type first is fine too.
    const json = b.headers['content-type'] === 'application/json'
    return {
      n,
      method: op.method,
      path,
      headers: b.headers,
      body: Buffer.from(`{"prompt":"${filler}"}`),
      bodySummary: summary,
      target: `${op.method} ${op.template}`,
      labels: [...b.labels],
      expect: { type: 'op', method: op.method, template: op.template },
      statusIn: json ? [413] : undefined,
    }
  }
  const proc = rng.pick(mutations)
  b.headers['content-type'] = 'application/json'
  return {
    n,
    method: 'POST',
    path: `/trpc/${proc.path}`,
    headers: b.headers,
    body: Buffer.from(`{"name":"${filler}"}`),
    bodySummary: summary,
    target: `trpc ${proc.path}`,
    labels: [...b.labels],
    expect: { type: 'trpc', jsonl: false },
    statusIn: [413],
  }
}

// What every fuzz response must satisfy, and the de-duplicated report of what did not.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import type { OpenApiValidator } from '../openapi-validator.ts'
import type { Actor, Fixtures, FuzzRequest, SurfaceName } from './generate.ts'
import type { Outcome } from './http.ts'

export interface Violation {
  rule: 'no-response' | '5xx' | 'html' | 'leak' | 'tenancy' | 'contract'
  detail: string
  request: FuzzRequest
  outcome: Outcome
}

/** Stack traces and database messages that must never reach a client. */
export const LEAK_PATTERNS: readonly string[] = [
  '    at ',
  '.ts:',
  '.js:',
  'node_modules',
  'Prisma',
  'prisma.',
  'PostgreSQL',
  'SQLSTATE',
  'violates',
  'invalid byte sequence',
  'unsupported Unicode escape',
  'relation "',
  'syntax error at',
  '"stack":',
]

const API_PREFIXES = ['/api', '/v1', '/trpc', '/openapi.json']

export interface Checker {
  check(r: FuzzRequest, o: Outcome): Violation[]
}

/** The account whose valid key the request carries (as the server reads it: x-api-key first, then Bearer). */
function actingAccount(headers: FuzzRequest['headers'], fx: Fixtures): Actor | undefined {
  const owner = (k: string) => (k === fx.a.key ? 'a' : k === fx.b.key ? 'b' : undefined)
  const direct = headers['x-api-key']
  if (typeof direct === 'string' && direct.trim()) return owner(direct.trim())
  const authz = headers.authorization
  const m = typeof authz === 'string' ? /^Bearer\s+(.+)$/i.exec(authz.trim()) : null
  return m ? owner(m[1]!.trim()) : undefined
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export function createChecker(openapi: OpenApiValidator, fx: Fixtures): Checker {
  // Every id of each account (paths and account ids aside: those are names, not secrets).
  const owned: [string, Actor, string][] = []
  for (const who of ['a', 'b'] as const) {
    for (const [kind, ids] of [...Object.entries(fx[who].ids), ...Object.entries(fx[who].disposable)]) {
      if (kind !== 'path' && kind !== 'account') for (const id of ids ?? []) owned.push([id, who, kind])
    }
  }
  /** An id of an account the request does not act for, in the body, that the request did not send itself. */
  const foreignIdIn = (text: string, r: FuzzRequest): string | undefined => {
    if (!text) return undefined
    const actor = actingAccount(r.headers, fx)
    const candidates = owned.filter(([id, who]) => who !== actor && text.includes(id))
    if (!candidates.length) return undefined
    const sent = `${r.path} ${decoded(r.path)} ${JSON.stringify(r.headers)} ${r.body ? r.body.toString('utf8') : ''}`
    const found = candidates.find(([id]) => !sent.includes(id))
    return (
      found &&
      `a ${found[2]} id of account ${found[1].toUpperCase()} in the answer to ${actor ? `account ${actor.toUpperCase()}` : 'a request without a valid key'}`
    )
  }
  const doc = openapi.document as unknown as {
    paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
    components?: { schemas?: Record<string, object> }
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  const schemas = doc.components?.schemas ?? {}
  const surfaceSchema: Record<SurfaceName, ValidateFunction> = {
    rest: ajv.compile(schemas.RestError ?? {}),
    cometcode: ajv.compile(schemas.CometCodeError ?? {}),
    openai: ajv.compile(schemas.OpenAIError ?? {}),
  }
  return {
    check(r, o) {
      const out: Violation[] = []
      const v = (rule: Violation['rule'], detail: string) => out.push({ rule, detail, request: r, outcome: o })
      if (o.error) {
        v('no-response', o.error)
        return out
      }
      if (o.status >= 500) v('5xx', `status ${o.status}`)
      const clean = r.path.split('?')[0]!
      const isApi = API_PREFIXES.some(
        (p) => clean === p || clean.startsWith(`${p}/`) || (p === '/openapi.json' && clean.startsWith(p)),
      )
      if (isApi && (/html/i.test(o.contentType) || /^\s*<(!doctype|html|head|body|pre|title)/i.test(o.bodyText)))
        v('html', `an HTML body (${o.contentType || 'no content type'})`)
      const leak = leakIn(o.bodyText, r)
      if (leak) v('leak', `body contains ${JSON.stringify(leak)}`)
      const foreign = foreignIdIn(o.bodyText, r)
      if (foreign) v('tenancy', foreign)
      // The HTTP parser's own answers (header/URL too large, unparsable request) come before
      // the application; they have no body.
      if ((o.status === 431 || o.status === 400) && !o.contentType && !o.bodyText) return out
      // A 5xx, HTML or a leak already says what is wrong; the contract is checked on the rest.
      if (out.length) return out
      const problem = contract(r, o)
      if (problem) v('contract', problem)
      return out
    },
  }

  function contract(r: FuzzRequest, o: Outcome): string | undefined {
    const e = r.expect
    if (r.statusIn && !r.statusIn.includes(o.status))
      return `expected ${r.statusIn.join(' or ')} for this request (${r.labels.join(', ')}), got ${o.status}`
    let body: unknown
    // tRPC answers some early errors (415, mixed batch) with JSON typed text/plain: judged by the body.
    const isJson =
      /^application\/json\b/i.test(o.contentType) ||
      (e.type === 'trpc' && /^text\/plain\b/i.test(o.contentType) && parses(o.bodyText))
    // OPTIONS on a known path answers the allowed methods (HTTP's own discovery, CORS preflights).
    if (
      r.method === 'OPTIONS' &&
      (o.status === 200 || o.status === 204) &&
      (e.type === 'no-route' || e.type === 'openapi')
    )
      return undefined
    if (isJson && !o.sse && !o.truncated && o.bodyText) {
      try {
        body = JSON.parse(o.bodyText)
      } catch {
        const streamed = e.type === 'trpc' && (e.jsonl || /jsonl/i.test(String(r.headers.accept ?? '')))
        if (!streamed) return 'content type is application/json but the body is not JSON'
      }
    } else if (o.bodyText && !o.sse) body = o.bodyText
    switch (e.type) {
      case 'op': {
        try {
          openapi.check(e.method, e.template, o.status, o.contentType || null, o.sse ? undefined : body)
        } catch (err) {
          return openapiMessage(err)
        }
        return undefined
      }
      case 'head': {
        const responses = doc.paths[e.template]?.get?.responses ?? {}
        if (!(String(o.status) in responses) && !('default' in responses))
          return `HEAD answered ${o.status}, which GET ${e.template} does not document`
        if (o.bodyText) return 'HEAD answered with a body'
        return undefined
      }
      case 'no-route': {
        // A malformed URL (bad percent-encoding in a segment) may be refused before routing: 400.
        const malformedUrl = r.labels.some((l) => l.startsWith('path:')) && o.status === 400
        if (o.status !== 404 && o.status !== 405 && !malformedUrl)
          return `expected 404 or 405 for a method/path with no route, got ${o.status}`
        if (!isJson) return `expected a JSON error, got content type "${o.contentType}"`
        const ok = e.surfaces.some((s) =>
          s === 'any' ? body !== null && typeof body === 'object' : surfaceSchema[s](body),
        )
        if (!ok) return `the error is not in the ${e.surfaces.join(' or ')} shape`
        return undefined
      }
      case 'openapi': {
        if (e.method === 'GET') {
          if (o.status !== 200 || !isJson || !(body as { openapi?: unknown } | undefined)?.openapi)
            return `GET /openapi.json answered ${o.status} ${o.contentType}`
          return undefined
        }
        if (e.method === 'HEAD') return o.status === 200 ? undefined : `HEAD /openapi.json answered ${o.status}`
        if (o.status !== 404 && o.status !== 405)
          return `expected 404 or 405 for ${e.method} /openapi.json, got ${o.status}`
        if (!isJson) return `expected a JSON error, got content type "${o.contentType}"`
        return undefined
      }
      case 'trpc': {
        if (o.sse) return o.status === 200 ? undefined : `an event stream with status ${o.status}`
        if (!isJson) return `expected tRPC JSON, got status ${o.status} content type "${o.contentType}"`
        if (e.jsonl || /jsonl/i.test(String(r.headers.accept ?? ''))) {
          // Streamed batch (trpc-accept: application/jsonl): one JSON value per line.
          const bad = o.bodyText
            .split('\n')
            .filter((l) => l.trim())
            .find((l) => !parses(l))
          return bad === undefined ? undefined : `a streamed batch line is not JSON: ${bad.slice(0, 80)}`
        }
        const items = Array.isArray(body) ? body : [body]
        for (const item of items) {
          const problem = trpcItemProblem(item)
          if (problem) return problem
        }
        return undefined
      }
    }
  }
}

function parses(s: string): boolean {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

function trpcItemProblem(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return 'not a tRPC response object'
  const x = item as {
    result?: unknown
    error?: { message?: unknown; code?: unknown; data?: { code?: unknown; httpStatus?: unknown; stack?: unknown } }
  }
  if ('result' in x) return x.result && typeof x.result === 'object' ? undefined : 'tRPC `result` is not an object'
  if (!x.error || typeof x.error !== 'object') return 'neither `result` nor `error`'
  if (
    typeof x.error.message !== 'string' ||
    typeof x.error.code !== 'number' ||
    typeof x.error.data?.code !== 'string' ||
    typeof x.error.data.httpStatus !== 'number'
  )
    return 'the tRPC error lacks message/code/data.code/data.httpStatus'
  if ('stack' in x.error.data) return 'the tRPC error carries data.stack'
  return undefined
}

/** A leak pattern found in the body that the request itself did not send (echoes are not leaks). */
function leakIn(text: string, r: FuzzRequest): string | undefined {
  if (!text) return undefined
  const unescaped = text.replace(/\\"/g, '"').replace(/\\n/g, '\n')
  const sent = `${r.path} ${JSON.stringify(r.headers)} ${r.body ? r.body.toString('utf8') : ''}`
  return LEAK_PATTERNS.find((p) => (text.includes(p) || unescaped.includes(p)) && !sent.includes(p))
}

function openapiMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg
    .replace(/\nbody: [\s\S]*$/, '')
    .replace(/ \(body: [\s\S]*\)$/, '')
    .split('\n')
    .slice(0, 4)
    .join('; ')
}

// ---------------------------------------------------------------------------------------------
// The report

/** Ids and secrets replaced by names, so a reproduction reads the same on another run. */
export function redactor(fx: Fixtures): (s: string) => string {
  const pairs: [string, string][] = []
  for (const who of ['a', 'b'] as const) {
    const f = fx[who]
    pairs.push(
      [f.key, `<key ${who.toUpperCase()}>`],
      [f.expiredKey, `<expired key ${who.toUpperCase()}>`],
      [f.revokedKey, `<revoked key ${who.toUpperCase()}>`],
    )
    for (const [kind, ids] of Object.entries(f.ids))
      ids.forEach((id, i) => pairs.push([id, `<${who.toUpperCase()}.${kind}${i}>`]))
    for (const [kind, ids] of Object.entries(f.disposable))
      (ids ?? []).forEach((id, i) => pairs.push([id, `<${who.toUpperCase()}.disposable-${kind}${i}>`]))
  }
  pairs.sort((x, y) => y[0].length - x[0].length)
  return (s) => {
    for (const [from, to] of pairs) if (from) s = s.split(from).join(to).split(encodeURIComponent(from)).join(to)
    return s
  }
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s)

export function describeRequest(r: FuzzRequest, redact: (s: string) => string): string {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${short(Array.isArray(v) ? v.join(' | ') : JSON.stringify(v).slice(1, -1), 120)}`)
    .join(', ')
  const body =
    r.bodySummary !== undefined
      ? ` body${r.body ? ` (${r.body.length} bytes${r.chunked ? ', chunked' : ''})` : ''}: ${short(r.bodySummary, 300)}`
      : ''
  return redact(`${r.method} ${short(r.path, 300)}  [${headers || 'no headers'}]${body}`)
}

interface TargetGroup {
  target: string
  statuses: Map<number, number>
  count: number
  /** Per cause (the request's mutation labels): how often, and the smallest request showing it. */
  causes: Map<string, { count: number; example: Violation }>
}

interface Group {
  rule: Violation['rule']
  detail: string
  count: number
  example: Violation
  targets: Map<string, TargetGroup>
}

const RULE_ORDER: Violation['rule'][] = ['5xx', 'no-response', 'html', 'leak', 'tenancy', 'contract']
const RULE_TITLE: Record<Violation['rule'], string> = {
  '5xx': 'SERVER ERROR',
  'no-response': 'NO RESPONSE',
  html: 'HTML ON AN API PATH',
  leak: 'STACK TRACE / DATABASE MESSAGE',
  tenancy: "ANOTHER ACCOUNT'S DATA",
  contract: 'CONTRACT',
}

/**
 * The violations de-duplicated: one group per problem (rule and what was wrong), within it one
 * line per target (method + path template or tRPC procedure) with its statuses, counts, causes
 * (the request's mutations) and the smallest request that reproduces it.
 */
export function buildReport(
  violations: Violation[],
  opts: { seed: number; fx: Fixtures; total: number },
): { text: string; groups: number } {
  const redact = redactor(opts.fx)
  const groups = new Map<string, Group>()
  const size = (x: Violation) => x.request.path.length + (x.request.body?.length ?? 0) + x.request.labels.length * 50
  for (const v of violations) {
    // The operation named in a validator message is already the target: keep what went wrong.
    const detail = v.detail.replace(/^OpenAPI: [A-Z]+ \S+ /, 'OpenAPI: ').replace(/\d{4,}/g, 'N')
    const key = `${v.rule}|${detail}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { rule: v.rule, detail, count: 0, example: v, targets: new Map() }))
    g.count++
    let t = g.targets.get(v.request.target)
    if (!t)
      g.targets.set(
        v.request.target,
        (t = { target: v.request.target, statuses: new Map(), count: 0, causes: new Map() }),
      )
    t.count++
    t.statuses.set(v.outcome.status, (t.statuses.get(v.outcome.status) ?? 0) + 1)
    const cause =
      v.request.labels
        .filter((l) => !l.startsWith('id:'))
        .sort()
        .join(' + ') || 'valid-looking request'
    const c = t.causes.get(cause)
    if (!c) t.causes.set(cause, { count: 1, example: v })
    else {
      c.count++
      if (size(v) < size(c.example)) c.example = v
    }
  }
  const sorted = [...groups.values()].sort(
    (x, y) => RULE_ORDER.indexOf(x.rule) - RULE_ORDER.indexOf(y.rule) || y.count - x.count,
  )
  const lines: string[] = [
    `Fuzzing found ${sorted.length} distinct problem(s) (${violations.length} violations) in ${opts.total} requests — seed ${opts.seed}; rerun with RUNYARD_FUZZ_SEED=${opts.seed}, one request alone with RUNYARD_FUZZ_SEED=${opts.seed} RUNYARD_FUZZ_ONLY=<n>.`,
  ]
  sorted.forEach((g, i) => {
    const excerpt = redact(short(g.example.outcome.bodyText.replace(/\s+/g, ' ').trim(), 200))
    lines.push(
      `\n[${i + 1}] ${RULE_TITLE[g.rule]}: ${redact(short(g.detail, 300))} — ${g.count}× on ${g.targets.size} target(s)`,
    )
    if (excerpt) lines.push(`    body: ${excerpt}`)
    for (const t of [...g.targets.values()].sort((x, y) => x.target.localeCompare(y.target))) {
      const statuses = [...t.statuses.entries()]
        .sort(([x], [y]) => x - y)
        .map(([s, n]) => (s ? `${s}` : 'none') + (t.statuses.size > 1 ? ` ${n}×` : ''))
        .join(', ')
      const causes = [...t.causes.entries()].sort(
        (x, y) => y[1].count - x[1].count || size(x[1].example) - size(y[1].example),
      )
      lines.push(
        `  • ${t.target} → ${statuses} (${t.count}×) — causes: ${causes
          .slice(0, 5)
          .map(([k, c]) => `${k} ${c.count}×`)
          .join('; ')}${causes.length > 5 ? `; +${causes.length - 5} more` : ''}`,
      )
      for (const [, c] of causes.slice(0, 2))
        lines.push(`      #${c.example.request.n} ${describeRequest(c.example.request, redact)}`)
    }
  })
  return { text: lines.join('\n'), groups: sorted.length }
}

// The kinds of value an environment variable holds, as zod schemas over the (trimmed, non-empty)
// string. Each failure message says what is allowed; loadConfig adds the variable and the value.
import { z } from 'zod'

/** Adds one issue with `message` and gives up on the value. */
function refuse(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message })
  return z.NEVER
}

// Plain decimal only: Number() would also take `0x10`, `1e3` or `0b1`, which an operator reading
// the setting back would not expect to mean 16, 1000 or 1.
const DECIMAL_INTEGER = /^-?\d+$/
const DECIMAL_NUMBER = /^-?(\d+\.?\d*|\.\d+)$/

export function int(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = DECIMAL_INTEGER.test(raw) ? Number(raw) : NaN
    return Number.isInteger(n) && n >= min && n <= max ? n : refuse(ctx, `must be an integer from ${min} to ${max}`)
  })
}

const TRUE = ['true', '1', 'yes', 'on']
const FALSE = ['false', '0', 'no', 'off']

/** A boolean, any case; `alsoTrue` keeps older spellings of one setting working. */
export function flag(alsoTrue: readonly string[] = []) {
  const truthy = [...TRUE, ...alsoTrue]
  return z.string().transform((raw, ctx) => {
    const v = raw.toLowerCase()
    if (truthy.includes(v)) return true
    if (FALSE.includes(v)) return false
    return refuse(ctx, `must be true or false (or ${[...truthy.slice(1), ...FALSE.slice(1)].join(', ')})`)
  })
}

/** One of `values`, any case. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const isOneOf = (v: string): v is T[number] => (values as readonly string[]).includes(v)
  return z.string().transform((raw, ctx) => {
    const v = raw.toLowerCase()
    return isOneOf(v) ? v : refuse(ctx, `must be one of ${values.join(', ')}`)
  })
}

export const text = z.string()

export const httpUrl = z.string().refine((v) => {
  try {
    return /^https?:$/.test(new URL(v).protocol)
  } catch {
    return false
  }
}, 'must be an http:// or https:// URL')

/** A comma-separated list; every entry (trimmed, empty ones dropped) must pass `valid`. */
export function list(valid: (entry: string) => boolean, allowed: string) {
  return z.string().transform((raw, ctx) => {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
    const bad = entries.filter((e) => !valid(e))
    return bad.length
      ? refuse(ctx, `must be ${allowed}; not allowed: ${bad.map((b) => JSON.stringify(b)).join(', ')}`)
      : entries
  })
}

/** `scheme://host[:port]` exactly as a browser sends it in `Origin`. */
export function isOrigin(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value
  } catch {
    return false
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Comma-separated durations, each a whole number with a unit (`500ms`, `5s`, `30m`, `2h`, `1d`),
 * each from `min` to `max` ms, at most `maxCount` of them; in ms.
 */
export function durations(min: number, max: number, maxCount: number) {
  return z.string().transform((raw, ctx) => {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
    const ms = entries.map((e) => {
      const m = /^(\d+)\s*(ms|s|m|h|d)$/i.exec(e)
      return m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : NaN
    })
    const bad = entries.filter((_, i) => !(ms[i]! >= min && ms[i]! <= max))
    const allowed = `comma-separated durations such as 5s,5m,2h (units ms, s, m, h, d; each from ${min} ms to ${max / 86_400_000} days; at most ${maxCount})`
    if (entries.length === 0 || bad.length)
      return refuse(
        ctx,
        `must be ${allowed}${bad.length ? `; not allowed: ${bad.map((b) => JSON.stringify(b)).join(', ')}` : ''}`,
      )
    if (entries.length > maxCount) return refuse(ctx, `must be ${allowed}; ${entries.length} given`)
    return ms
  })
}

/**
 * What `fetch`'s allow list compares with a URL's host: `host`, `host:port`, `[v6]`, `[v6]:port`.
 * A host is DNS labels (letters, digits, `-`, `_`) or an IPv4 address: no wildcards, which the
 * comparison would never match, so `*` would silently allow nothing.
 */
export function isHostEntry(value: string): boolean {
  return /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*)(:\d{1,5})?$/i.test(
    value,
  )
}

/** A number from `min` to `max` (a ratio, a probability). */
export function num(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = DECIMAL_NUMBER.test(raw) ? Number(raw) : NaN
    return Number.isFinite(n) && n >= min && n <= max ? n : refuse(ctx, `must be a number from ${min} to ${max}`)
  })
}

/**
 * `key=value` pairs separated by commas, values percent-decoded: the OpenTelemetry spelling of
 * headers and resource attributes (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES).
 */
export const keyValues = z.string().transform((raw, ctx) => {
  const pairs: Record<string, string> = {}
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  for (const [i, entry] of entries.entries()) {
    const eq = entry.indexOf('=')
    const key = eq > 0 ? entry.slice(0, eq).trim() : ''
    let value: string | undefined
    try {
      value = eq > 0 ? decodeURIComponent(entry.slice(eq + 1).trim()) : undefined
    } catch {
      value = undefined
    }
    // the entry itself is not shown: headers carry credentials
    if (!key || value === undefined)
      return refuse(ctx, `must be comma-separated key=value pairs with percent-encoded values (entry ${i + 1} is not)`)
    pairs[key] = value
  }
  return pairs
})

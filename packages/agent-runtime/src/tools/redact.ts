// Keeps secrets (the run's API key, which commands can read from RUNYARD_API_KEY) out of what
// tools return: the model never sees them, so they cannot reach events or the transcript.
// Besides the secret as it is, the encodings a command is likely to print it in are caught:
// base64 and base64url (at any byte offset inside a longer stream, line-wrapped or not), hex
// (either case, wrapped as by `xxd -p`) and percent-encoding. A determined command can still
// print a secret piecewise; this stops the accidental leaks (`env | base64`, a logged URL).
export const REDACTED = '[REDACTED]'

/** Shorter secrets are not redacted: they would match ordinary text. */
const MIN_SECRET_LENGTH = 8

export type Redactor = (text: string) => string

const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/** A regexp source matching `c` in either case (hex digits). */
const anyCase = (c: string) =>
  c.toLowerCase() === c.toUpperCase() ? escape(c) : `[${c.toLowerCase()}${c.toUpperCase()}]`

/** base64 tools wrap lines (76 columns for `base64`, 64 for PEM, 60 for `xxd -p`). */
const wrappable = (tokens: string[]) => tokens.join('(?:\\r?\\n)?')

/** Each character as itself or as the %XX escapes of its UTF-8 bytes (so encodeURIComponent too). */
function percentEncoded(secret: string): string {
  return Array.from(secret, (ch) => {
    const escapes = Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).padStart(2, '0')}`).join('')
    return `(?:${escape(ch)}|${Array.from(escapes, anyCase).join('')})`
  }).join('')
}

function hex(bytes: Buffer): string {
  return wrappable(Array.from(bytes.toString('hex'), anyCase))
}

/**
 * The secret inside base64 or base64url output, for each of the three offsets (mod 3) at which
 * it can start in the encoded stream: the output characters that depend only on the secret's
 * bits, not on the bytes before or after it (standard base64 characters; base64url has - and _
 * for + and /).
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((lead) => {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64')
    return encoded.slice(Math.ceil((8 * lead) / 6), Math.floor((8 * (lead + bytes.length)) / 6))
  })
}

const base64Pattern = (core: string) =>
  wrappable(Array.from(core, (c) => (c === '+' ? '[+-]' : c === '/' ? '[/_]' : c)))

function secretPattern(secret: string): string {
  const bytes = Buffer.from(secret, 'utf8')
  // longest forms first, so a hex run is not cut short by a shorter form matching inside it
  return [hex(bytes), ...base64Cores(bytes).map(base64Pattern), percentEncoded(secret)].join('|')
}

/** base64url's characters as base64's, so one comparison covers both. */
const asBase64 = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/')

/**
 * Whether `text` can hold a secret in any form the pattern matches: a necessary condition that
 * costs a few string scans. Every form but the percent-encoded one may be wrapped by line breaks,
 * so they are looked for in the text without its line breaks (hex in lower case, base64url as
 * base64); the percent-encoded form is never wrapped, and is the secret itself unless the text
 * has a '%'. Compiling the
 * full pattern of a fresh secret costs V8 ~25 ms of CPU (then ~6 ms more when it tiers up to
 * native code), on every run's first tool call; most tool output cannot hold the secret at all.
 */
function mightHoldSecret(secrets: readonly string[]): (text: string) => boolean {
  const forms = secrets.map((secret) => {
    const bytes = Buffer.from(secret, 'utf8')
    return { secret, hex: bytes.toString('hex'), base64: base64Cores(bytes) }
  })
  let percentForms: RegExp | undefined
  return (text) => {
    if (text.includes('%')) {
      percentForms ??= new RegExp(secrets.map(percentEncoded).join('|'))
      if (percentForms.test(text)) return true
    }
    const flat = /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, '') : text
    const lower = flat.toLowerCase()
    const base64 = asBase64(flat)
    return forms.some(
      (f) => text.includes(f.secret) || lower.includes(f.hex) || f.base64.some((core) => base64.includes(core)),
    )
  }
}

/** A function replacing every listed secret (and its encodings) with {@link REDACTED}; built once per run. */
export function secretRedactor(secrets: readonly string[]): Redactor {
  const usable = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
  if (usable.length === 0) return (text) => text
  const mightHold = mightHoldSecret(usable)
  // Compiled when some text first might hold a secret (see mightHoldSecret).
  let pattern: RegExp | undefined
  return (text) => {
    if (!mightHold(text)) return text
    pattern ??= new RegExp(usable.map(secretPattern).join('|'), 'g')
    return text.replace(pattern, REDACTED)
  }
}

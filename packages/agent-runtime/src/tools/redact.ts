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
 * bits, not on the bytes before or after it.
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((lead) => {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64')
    const first = Math.ceil((8 * lead) / 6)
    const end = Math.floor((8 * (lead + bytes.length)) / 6)
    const core = encoded.slice(first, end)
    return wrappable(Array.from(core, (c) => (c === '+' ? '[+-]' : c === '/' ? '[/_]' : c)))
  })
}

function secretPattern(secret: string): string {
  const bytes = Buffer.from(secret, 'utf8')
  // longest forms first, so a hex run is not cut short by a shorter form matching inside it
  return [hex(bytes), ...base64Cores(bytes), percentEncoded(secret)].join('|')
}

/** A function replacing every listed secret (and its encodings) with {@link REDACTED}; built once per run. */
export function secretRedactor(secrets: readonly string[]): Redactor {
  const usable = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
  if (usable.length === 0) return (text) => text
  const pattern = new RegExp(usable.map(secretPattern).join('|'), 'g')
  return (text) => text.replace(pattern, REDACTED)
}

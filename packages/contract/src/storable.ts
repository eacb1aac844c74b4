// Text that PostgreSQL can store. `text` and `jsonb` refuse NUL (22021 / 22P05) and jsonb refuses
// lone UTF-16 surrogates, yet both turn up in what tools and models produce (`cat` of a binary,
// `find -print0`, a model's odd JSON). Such text is stored with visible replacements instead of
// failing the run: NUL becomes U+2400 (␀), a lone surrogate U+FFFD (�).

/** What a NUL character is stored as. */
export const NUL_REPLACEMENT = '\u2400'

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g

/** `text` with NUL replaced by ␀ and lone surrogates by U+FFFD (the same string when it had neither). */
export function storableText(text: string): string {
  const noNul = text.includes('\u0000') ? text.replace(NUL, NUL_REPLACEMENT) : text
  return noNul.isWellFormed() ? noNul : noNul.toWellFormed()
}

// In JSON.stringify's output a NUL is always the escape `\u0000` and a lone surrogate always an
// escape `\udXXX` (paired surrogates are written as they are). An escape counts only after an
// even number of backslashes: `\\u0000` is the six characters `\u0000` of the original text.
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi
const MAYBE_UNSTORABLE = /\\u(0000|d[89a-f])/i

/** JSON.stringify(value) with every string (keys included) made storable, as by {@link storableText}. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined || !MAYBE_UNSTORABLE.test(json)) return json
  return json.replace(
    UNSTORABLE_ESCAPE,
    (_m, slashes: string, what: string) => `${slashes}${what === '0000' ? '\\u2400' : '\\ufffd'}`,
  )
}

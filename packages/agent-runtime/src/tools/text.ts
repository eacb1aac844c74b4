// Text helpers shared by the tools: size caps that say what was cut, shell quoting.

/** Default cap on what one tool call returns to the model (and stores in the event log). */
export const DEFAULT_TOOL_OUTPUT_CHARS = 30_000

/** Keeps the head and the tail (errors tend to be at the end) and says how much was dropped. */
export function capMiddle(text: string, max: number): string {
  if (text.length <= max) return text
  const keep = Math.max(0, max - 80)
  const head = Math.ceil(keep / 2)
  const tail = keep - head
  const omitted = text.length - head - tail
  return `${text.slice(0, head)}\n… [${omitted} characters omitted] …\n${tail > 0 ? text.slice(text.length - tail) : ''}`
}

/** Keeps the head only (listings, file contents, search results). */
export function capHead(text: string, max: number, what = 'output'): string {
  if (text.length <= max) return text
  return `${text.slice(0, max)}\n… [${what} truncated: ${text.length - max} more characters]`
}

/** A value as text for the event log and tool results: strings as-is, anything else as JSON. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  // String() is the last resort for what JSON cannot encode (functions, symbols, BigInt, cycles),
  // '[object Object]' included.
  try {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- last resort, see above
    return JSON.stringify(value) ?? String(value)
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- last resort, see above
    return String(value)
  }
}

/** Quotes one argument for bash (single quotes; embedded quotes closed and escaped). */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name
  if (typeof err === 'string') return err
  return stringify(err)
}

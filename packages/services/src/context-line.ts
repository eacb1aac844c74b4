// The one-line form a Responses `x_context` takes at the head of the user turn it came with, so
// the agent reads it; and that turn's text without it (for a session title).

/**
 * `{notification_response: {notification_id: "msg_123", action: "approved"}, locale: "en"}` →
 * `[Context: notification_response — notification_id: msg_123, action: approved; locale: en]`.
 * Always a single line: whitespace inside values collapses to single spaces.
 */
export function formatContextLine(context: Record<string, unknown>): string {
  const entries = Object.entries(context).map(([key, value]) => {
    if (isPlainObject(value)) {
      const fields = Object.entries(value).map(([k, v]) => `${k}: ${scalar(v)}`)
      return fields.length ? `${key} — ${fields.join(', ')}` : key
    }
    return `${key}: ${scalar(value)}`
  })
  return `[Context: ${entries.join('; ')}]`.replace(/\s+/g, ' ')
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const CONTEXT_LINE = /^\[Context: [^\n]*\]\n/

/** `text` without a leading context line. */
export const withoutContextLine = (text: string) => text.replace(CONTEXT_LINE, '')

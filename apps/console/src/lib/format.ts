// Display formatting shared by the pages.
import type { TokenUsage } from '@runyard/contract'

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
const full = new Intl.NumberFormat('en')

export function formatCount(n: number): string {
  return n < 10_000 ? full.format(n) : compact.format(n)
}

export function totalTokens(u: Pick<TokenUsage, 'inputTokens' | 'outputTokens'>): number {
  return u.inputTokens + u.outputTokens
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`
  const m = Math.floor(s / 60)
  const rest = Math.round(s % 60)
  if (m < 60) return `${m} min ${rest} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

/** Duration between two ISO timestamps; `now` when it has not ended. */
export function spanMs(start: string | null, end: string | null, now: number): number | null {
  if (!start) return null
  return (end ? Date.parse(end) : now) - Date.parse(start)
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

export function timeAgo(iso: string, now: number): string {
  const diff = (Date.parse(iso) - now) / 1000
  const abs = Math.abs(diff)
  if (abs < 45) return 'just now'
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute')
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour')
  if (abs < 7 * 86_400) return rtf.format(Math.round(diff / 86_400), 'day')
  return new Date(iso).toLocaleDateString('en', { day: 'numeric', month: 'short', year: 'numeric' })
}

export function dateTime(iso: string | null): string {
  if (!iso) return '—'
  return new Date(iso).toLocaleString('en', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
}

/** The distinctive tail of an id (`run_01J…XYZ` → `…9XYZ`), for dense tables. */
export function shortId(id: string): string {
  const [prefix, rest = ''] = id.split('_', 2)
  return `${prefix}_…${rest.slice(-6)}`
}

export function pretty(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value, null, 2) ?? String(value)
  } catch {
    return String(value)
  }
}

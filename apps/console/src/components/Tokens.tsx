import type { TokenUsage } from '@runyard/contract'
import { formatCount } from '../lib/format.ts'

/** "1,234 in · 567 out", with the exact numbers (and cache) in the tooltip. */
export function Tokens({ usage }: { usage: TokenUsage }) {
  if (usage.inputTokens + usage.outputTokens === 0) return <span className="muted">—</span>
  const title = `${usage.inputTokens} input, ${usage.outputTokens} output, ${usage.cacheRead} cache read, ${usage.cacheWrite} cache write`
  return (
    <span className="tokens" title={title}>
      {formatCount(usage.inputTokens)} <span className="muted">in</span> · {formatCount(usage.outputTokens)}{' '}
      <span className="muted">out</span>
    </span>
  )
}

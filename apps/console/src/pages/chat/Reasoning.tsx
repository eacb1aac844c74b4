// The model's reasoning, collapsed by default: it is there to be checked, not read every time.
import type { ReasoningPart } from '../../lib/parts.ts'

export function Reasoning({ part }: { part: ReasoningPart }) {
  return (
    <details className="reasoning">
      <summary>{part.streaming ? <span className="thinking">Thinking</span> : 'Reasoning'}</summary>
      <div className="reasoning-text">{part.text}</div>
    </details>
  )
}

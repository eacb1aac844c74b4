// Monospace output, cut to a few lines with a control to show the rest.
import { useState } from 'react'

const MAX_LINES = 10
const MAX_CHARS = 1500

export function ExpandableCode({ text, label, tone }: { text: string; label: string; tone?: 'error' }) {
  const [expanded, setExpanded] = useState(false)
  const lines = text.split('\n')
  const tooLong = lines.length > MAX_LINES || text.length > MAX_CHARS
  const shown = expanded || !tooLong ? text : lines.slice(0, MAX_LINES).join('\n').slice(0, MAX_CHARS)
  return (
    <div className="code-block">
      <div className="code-label">{label}</div>
      <pre className={`code ${tone === 'error' ? 'code-error' : ''}`} tabIndex={0} aria-label={label}>
        {shown}
        {!expanded && tooLong && <span className="code-fade">…</span>}
      </pre>
      {tooLong && (
        <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : `Show all ${lines.length} lines`}
        </button>
      )}
    </div>
  )
}

// A tool call: name, input, output (or error), duration; a `task` card nests its sub-agent.
import { useState, type ReactNode } from 'react'
import { Spinner } from '../../components/Feedback.tsx'
import { formatDuration, pretty } from '../../lib/format.ts'
import type { ToolPart } from '../../lib/parts.ts'
import { useNow } from '../../lib/use-now.ts'
import { ExpandableCode } from './ExpandableCode.tsx'
import { outputText, toolSummary } from './tool-summary.ts'

/** `subAgent`: a `task` call's nested parts, rendered by the caller (Parts), which renders this card. */
export function ToolCard({ part, subAgent }: { part: ToolPart; subAgent?: ReactNode }) {
  const [open, setOpen] = useState(true)
  const running = part.state === 'running'
  const now = useNow(250, running && part.startedAt !== undefined)
  const duration = part.startedAt !== undefined ? (part.finishedAt ?? now) - part.startedAt : undefined
  const summary = toolSummary(part.tool, part.input)
  const output = outputText(part.output)
  const bodyId = `tool-body-${part.id}`
  return (
    <article className={`tool-card tool-${part.state}`} data-tool={part.tool} aria-label={`Tool call ${part.tool}`}>
      <header className="tool-head">
        <button
          type="button"
          className="tool-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen(!open)}
        >
          <span className="chevron" aria-hidden="true" />
          <span className="tool-name">{part.tool}</span>
          {summary && <span className="tool-summary mono">{summary}</span>}
        </button>
        <span className="tool-meta">
          {running ? (
            <span className="tool-status">
              <Spinner label="Running" /> running
            </span>
          ) : part.state === 'error' ? (
            <span className="tool-status tool-status-error">error</span>
          ) : (
            <span className="tool-status tool-status-ok">done</span>
          )}
          {duration !== undefined && <span className="tool-duration">{formatDuration(duration)}</span>}
        </span>
      </header>
      {open && (
        <div className="tool-body" id={bodyId}>
          {running ? (
            <p className="tool-running-note">Running…</p>
          ) : (
            <ExpandableCode
              label={part.state === 'error' ? 'Error' : 'Output'}
              text={output || '(no output)'}
              tone={part.state === 'error' ? 'error' : undefined}
            />
          )}
          {subAgent && (
            <div className="sub-agent">
              <div className="code-label">Sub-agent</div>
              {subAgent}
            </div>
          )}
          <details className="tool-input">
            <summary>Input</summary>
            <pre className="code">{pretty(part.input ?? {})}</pre>
          </details>
        </div>
      )}
    </article>
  )
}

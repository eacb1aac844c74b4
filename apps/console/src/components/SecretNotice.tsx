// A secret shown once (a new API key, a webhook signing secret): focused when it appears so screen
// readers announce it, with a copy button and a Done button that dismisses it for good.
import { useEffect, useRef, type ReactNode } from 'react'
import { CopyButton } from './CopyButton.tsx'

export function SecretNotice({
  title,
  secret,
  testId,
  doneLabel = 'Done',
  onDone,
  children,
}: {
  title: ReactNode
  secret: string
  testId: string
  doneLabel?: string
  onDone: () => void
  children?: ReactNode
}) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => ref.current?.focus(), [secret])
  return (
    <section className="notice notice-success secret-box" aria-labelledby={`${testId}-title`} tabIndex={-1} ref={ref}>
      <div className="secret-content">
        <strong id={`${testId}-title`}>{title}</strong>
        {children}
        <div className="secret-row">
          <code className="secret" data-testid={testId}>
            {secret}
          </code>
          <CopyButton text={secret} />
        </div>
      </div>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  )
}

// A destructive action that asks first, inline (no blocking window.confirm): the button turns
// into "Confirm / Cancel", and focus moves to Confirm.
import { useEffect, useRef, useState } from 'react'

export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
  busy,
  className = 'btn btn-ghost btn-sm',
}: {
  label: string
  confirmLabel: string
  question: string
  onConfirm: () => void
  busy?: boolean
  className?: string
}) {
  const [asking, setAsking] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (asking) confirmRef.current?.focus()
  }, [asking])
  if (!asking)
    return (
      <button type="button" className={className} disabled={busy} onClick={() => setAsking(true)}>
        {busy ? `${label}…` : label}
      </button>
    )
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="btn btn-danger btn-sm"
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  )
}

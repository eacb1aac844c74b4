// A labelled form control with an optional hint; the hint is tied to the control for screen readers.
import { useId, type ReactElement, cloneElement, type ReactNode } from 'react'

interface ControlProps {
  id?: string
  'aria-describedby'?: string
}

export function Field({
  label,
  hint,
  children,
  className,
}: {
  label: ReactNode
  hint?: ReactNode
  children: ReactElement<ControlProps>
  className?: string
}) {
  const id = useId()
  const hintId = `${id}-hint`
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, ...(hint ? { 'aria-describedby': hintId } : {}) })}
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  )
}

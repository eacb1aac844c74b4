// A modal built on <dialog>: the browser traps focus, closes on Escape and restores focus.
import { useEffect, useRef, useState, type ReactNode } from 'react'

export function Dialog({
  open,
  onClose,
  title,
  children,
  wide,
}: {
  open: boolean
  onClose: () => void
  title: string
  children: ReactNode
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      d.showModal()
      // React's autoFocus ran before the dialog was shown (and so did nothing): focus the first field.
      d.querySelector<HTMLElement>('.form input, .form textarea, .form select')?.focus()
    }
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby="dialog-title"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div className="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {open && children}
    </dialog>
  )
}

/**
 * A page's primary action that opens a form in a dialog: the button (for the page header and the
 * empty state) and the dialog; `form` gets `close` for its cancel and its success.
 */
export function useDialogAction({
  label,
  title,
  form,
}: {
  label: string
  title: string
  form: (close: () => void) => ReactNode
}) {
  const [open, setOpen] = useState(false)
  const close = () => setOpen(false)
  return {
    button: (
      <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
        {label}
      </button>
    ),
    dialog: (
      <Dialog open={open} onClose={close} title={title} wide>
        {form(close)}
      </Dialog>
    ),
  }
}

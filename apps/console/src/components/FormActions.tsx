// The foot of a form: the last submit's error, then Cancel and the submit button (its label
// changes while the request is pending).
import { errorMessage } from '../lib/errors.ts'

export function FormActions(props: {
  error: unknown
  pending: boolean
  disabled?: boolean
  submitLabel: string
  pendingLabel: string
  onCancel: () => void
}) {
  return (
    <>
      {props.error != null && (
        <div className="notice notice-danger" role="alert">
          {errorMessage(props.error)}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={props.disabled || props.pending}>
          {props.pending ? props.pendingLabel : props.submitLabel}
        </button>
      </div>
    </>
  )
}

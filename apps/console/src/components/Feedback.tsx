// Loading, error and empty states: every list and page uses these so they look and read alike.
import type { ReactNode } from 'react'
import { Link } from 'wouter'
import { errorCode, errorMessage } from '../lib/errors.ts'

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  )
}

export function ErrorNotice({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown
  title?: string
  onRetry?: () => void
}) {
  return (
    <div className="notice notice-danger" role="alert">
      <div>
        <strong>{title}</strong>
        <p>{errorMessage(error)}</p>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-mark" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="22" height="22">
          <path
            d="M12 3 3 7.5l9 4.5 9-4.5L12 3zM3 12l9 4.5 9-4.5M3 16.5 12 21l9-4.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
        </svg>
      </div>
      <h2>{title}</h2>
      {children && <div className="empty-body">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  )
}

/**
 * What a page about one record shows when reading it failed: "not found" (missing, or another
 * account's) with the way back to its list, else the error with a retry.
 */
export function LoadError({
  error,
  what,
  notFound,
  reason = 'It does not exist, or it belongs to another account.',
  back,
  onRetry,
}: {
  error: unknown
  /** The record, as in "Could not load the run". */
  what: string
  notFound: string
  reason?: string
  back: { href: string; label: string }
  onRetry: () => void
}) {
  if (errorCode(error) === 'NOT_FOUND')
    return (
      <EmptyState
        title={notFound}
        action={
          <Link href={back.href} className="btn btn-primary">
            {back.label}
          </Link>
        }
      >
        <p>{reason}</p>
      </EmptyState>
    )
  return <ErrorNotice title={`Could not load ${what}`} error={error} onRetry={onRetry} />
}

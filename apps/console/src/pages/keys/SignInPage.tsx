// Keys mode: the tab signs in with an API key (checked against `system.info` before it is kept).
import { useState, type FormEvent } from 'react'
import { BrandMark } from '../../components/BrandMark.tsx'
import { setApiKey, signOutReason } from '../../lib/api-key.ts'

async function checkKey(key: string): Promise<string | null> {
  // A plain request so the candidate key is never installed before it is known to work.
  const res = await fetch('/trpc/system.info', { headers: { 'x-api-key': key } })
  if (res.ok) return null
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return body?.error?.message ?? `The server answered ${res.status}.`
}

export function SignInPage() {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [checking, setChecking] = useState(false)
  const [reason] = useState(() => {
    const r = signOutReason.current
    signOutReason.current = null
    return r
  })

  async function submit(e: FormEvent) {
    e.preventDefault()
    const candidate = key.trim()
    if (!candidate) return
    setChecking(true)
    setError(null)
    try {
      const problem = await checkKey(candidate)
      if (problem) setError(problem)
      else setApiKey(candidate)
    } catch {
      setError('The server could not be reached. Is Runyard running?')
    } finally {
      setChecking(false)
    }
  }

  return (
    <main className="full-page sign-in">
      <div className="sign-in-card">
        <div className="brand brand-large">
          <BrandMark size={36} />
          <span>Runyard</span>
        </div>
        <h1>Sign in with an API key</h1>
        <p className="muted">
          This server requires an API key. The key stays in this browser tab only (session storage) and is sent as a
          header, never in a URL.
        </p>
        {reason && (
          <div className="notice notice-warning" role="status">
            {reason}
          </div>
        )}
        {/* submit() handles its own errors: the promise is dropped on purpose (React ignores it anyway). */}
        <form className="form" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor="api-key">API key</label>
            <input
              id="api-key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              className="mono"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder="ryk_live_…"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'api-key-error' : 'api-key-hint'}
              autoFocus
              required
            />
            {error ? (
              <div className="field-error" id="api-key-error" role="alert">
                {error}
              </div>
            ) : (
              <div className="hint" id="api-key-hint">
                No key yet? An administrator creates one with <code>npm run runyard -- keys create --name you</code>.
              </div>
            )}
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={checking || !key.trim()}>
            {checking ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  )
}

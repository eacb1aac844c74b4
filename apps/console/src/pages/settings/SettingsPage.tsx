// What this server runs with: auth, model provider, sandbox — and the warnings that matter
// (host sandbox without isolation, the demo model instead of a real one).
import { useQuery } from '@tanstack/react-query'
import { useSystemInfo } from '../../app/system-info.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useTRPC } from '../../lib/trpc.ts'
import { SANDBOX_LABELS } from '../sessions/labels.ts'

const PROVIDERS: Record<string, string> = {
  openai: 'OpenAI (or an OpenAI-compatible server via OPENAI_BASE_URL)',
  'openai-compatible': 'OpenAI-compatible server (vLLM, Ollama, llama.cpp…)',
  demo: 'Built-in demo model (no provider configured)',
}

export function SettingsPage() {
  const info = useSystemInfo()
  const trpc = useTRPC()
  const health = useQuery(trpc.system.health.queryOptions())
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this Runyard server is configured. Change it with environment variables and a restart."
      />
      {info.warnings.length > 0 && (
        <section aria-label="Warnings" className="warnings">
          {info.warnings.map((w) => (
            <div key={w} className="notice notice-warning" role="alert">
              {w}
            </div>
          ))}
        </section>
      )}
      <div className="settings-grid">
        <section className="card">
          <h2 className="card-title">Model provider</h2>
          <dl className="kv">
            <dt>Default model</dt>
            <dd className="mono">{info.defaultModel.id}</dd>
            <dt>Provider</dt>
            <dd>{PROVIDERS[info.defaultModel.providerId] ?? info.defaultModel.providerId}</dd>
            <dt>Available models</dt>
            <dd>
              <ul className="plain-list">
                {info.models.map((m) => (
                  <li key={m.id} className="mono">
                    {m.id}
                  </li>
                ))}
              </ul>
            </dd>
          </dl>
          {info.demoModel && (
            <p className="hint">
              Set <code>OPENAI_API_KEY</code> (or <code>OPENAI_COMPATIBLE_BASE_URL</code> + <code>RUNYARD_MODEL</code>)
              and restart to use a real model.
            </p>
          )}
        </section>
        <section className="card">
          <h2 className="card-title">Sandbox</h2>
          <dl className="kv">
            <dt>Default for new sessions</dt>
            <dd>
              <strong>{SANDBOX_LABELS[info.defaultSandbox].name}</strong>
              <div className="hint">{SANDBOX_LABELS[info.defaultSandbox].hint}</div>
            </dd>
            <dt>Available here</dt>
            <dd>
              {info.availableSandboxes.length
                ? info.availableSandboxes.map((s) => SANDBOX_LABELS[s].name).join(', ')
                : 'none'}
            </dd>
          </dl>
          <p className="hint">
            Choose with <code>RUNYARD_SANDBOX</code> (<code>auto</code>, <code>local</code>, <code>e2b</code>,{' '}
            <code>host</code>).
          </p>
        </section>
        <section className="card">
          <h2 className="card-title">Access</h2>
          <dl className="kv">
            <dt>Auth mode</dt>
            <dd>
              {info.authMode === 'keys'
                ? 'Keys — every request needs an API key'
                : 'Local — loopback only, no key needed'}
            </dd>
            <dt>Account</dt>
            <dd className="mono">{info.accountId}</dd>
            <dt>Server</dt>
            <dd>
              {health.isSuccess ? (
                <span className="badge badge-success">healthy</span>
              ) : health.isError ? (
                <span className="badge badge-danger">unreachable</span>
              ) : (
                <span className="badge badge-neutral">checking</span>
              )}
            </dd>
          </dl>
        </section>
        <section className="card">
          <h2 className="card-title">APIs</h2>
          <ul className="link-list">
            <li>
              <a href="/docs">API reference</a> <span className="muted">— REST, CometCode and Responses endpoints</span>
            </li>
            <li>
              <a href="/openapi.json">OpenAPI document</a> <span className="muted">— for generated clients</span>
            </li>
            <li>
              <span className="mono">/trpc</span>{' '}
              <span className="muted">
                — what this console uses; typed client in <code>@runyard/client</code>
              </span>
            </li>
          </ul>
        </section>
      </div>
    </>
  )
}

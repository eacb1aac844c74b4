// The frame around every signed-in page: navigation, account, server warnings.
import type { ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { BrandMark } from '../components/BrandMark.tsx'
import { setApiKey, useApiKey } from '../lib/api-key.ts'
import { useLiveUpdates } from '../lib/live-updates.ts'
import { useSystemInfo } from './system-info.tsx'

const NAV = [
  { href: '/sessions', label: 'Sessions', icon: 'M4 5h16v11H8l-4 4z' },
  { href: '/runs', label: 'Runs', icon: 'M5 4l14 8-14 8z' },
  { href: '/keys', label: 'API keys', icon: 'M14 10a4 4 0 1 0-3.9 4H12v3h3v3h4v-4l-5.1-5.1A4 4 0 0 0 14 10z' },
  {
    href: '/webhooks',
    label: 'Webhooks',
    icon: 'M9 7a3 3 0 1 1 4.5 2.6L16 14m-8 3a3 3 0 1 1 1.2-5.8M15 17H9.5m5.5 0a3 3 0 1 0 3-3',
  },
  {
    href: '/settings',
    label: 'Settings',
    icon: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm0-5v3m0 12v3m9-9h-3M6 12H3m15.4-6.4-2.1 2.1M7.7 16.3l-2.1 2.1m12.8 0-2.1-2.1M7.7 7.7 5.6 5.6',
  },
] as const

export function Shell({ children }: { children: ReactNode }) {
  const info = useSystemInfo()
  const apiKey = useApiKey()
  const [location, navigate] = useLocation()
  useLiveUpdates(true)
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link href="/sessions" className="brand" aria-label="Runyard home">
          <BrandMark size={28} />
          <span>Runyard</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => {
              const active = location === item.href || location.startsWith(`${item.href}/`)
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    className={`nav-link ${active ? 'active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                  >
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                      <path
                        d={item.icon}
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="1.8"
                        strokeLinejoin="round"
                        strokeLinecap="round"
                      />
                    </svg>
                    {item.label}
                  </Link>
                </li>
              )
            })}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <div className="account" title={info.accountId}>
            <span className="account-label">{info.authMode === 'local' ? 'Local mode' : 'Signed in as'}</span>
            <span className="account-id">{info.accountId}</span>
          </div>
          {apiKey && (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                // the next account starts from the overview, not from this account's page
                navigate('/sessions')
                setApiKey(null)
              }}
            >
              Sign out
            </button>
          )}
        </div>
      </aside>
      <div className="main-column">
        {info.warnings.length > 0 && (
          <div className="warning-bar" role="note">
            <strong>Heads up:</strong> {info.warnings[0]}
            {info.warnings.length > 1 && ` (+${info.warnings.length - 1} more)`} <Link href="/settings">Settings</Link>
          </div>
        )}
        <main id="main" className="main">
          {children}
        </main>
      </div>
    </div>
  )
}

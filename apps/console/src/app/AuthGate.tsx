// Decides what the tab shows: the sign-in page (keys mode without a usable key) or the console.
// `system.health` is public and tells the auth mode, so no request is made that would 401.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { ErrorNotice, Loading } from '../components/Feedback.tsx'
import { useApiKey } from '../lib/api-key.ts'
import { useTRPC } from '../lib/trpc.ts'
import { SignInPage } from '../pages/keys/SignInPage.tsx'
import { Routes } from './Routes.tsx'
import { Shell } from './Shell.tsx'
import { SystemInfoContext } from './system-info.tsx'

export function AuthGate() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const apiKey = useApiKey()
  const health = useQuery(trpc.system.health.queryOptions())
  const needsKey = health.data?.authMode === 'keys' && !apiKey
  const info = useQuery({ ...trpc.system.info.queryOptions(), enabled: health.isSuccess && !needsKey })

  // Another key means another account: nothing cached for the previous one may be shown.
  const previousKey = useRef(apiKey)
  useEffect(() => {
    if (previousKey.current === apiKey) return
    previousKey.current = apiKey
    // reset (not remove): mounted queries must refetch with the new key, not hang on a removed entry
    void queryClient.resetQueries({ predicate: (q) => !JSON.stringify(q.queryKey).includes('"health"') })
  }, [apiKey, queryClient])

  if (health.isPending)
    return (
      <FullPage>
        <Loading what="Runyard" />
      </FullPage>
    )
  if (health.isError)
    return (
      <FullPage>
        <ErrorNotice title="Runyard is not reachable" error={health.error} onRetry={() => void health.refetch()} />
      </FullPage>
    )
  if (needsKey) return <SignInPage />
  if (info.isPending)
    return (
      <FullPage>
        <Loading what="the console" />
      </FullPage>
    )
  if (info.isError)
    return (
      <FullPage>
        <ErrorNotice
          title="Could not load the server's settings"
          error={info.error}
          onRetry={() => void info.refetch()}
        />
      </FullPage>
    )
  return (
    <SystemInfoContext.Provider value={info.data}>
      <Shell>
        <Routes />
      </Shell>
    </SystemInfoContext.Provider>
  )
}

function FullPage({ children }: { children: React.ReactNode }) {
  return <main className="full-page">{children}</main>
}

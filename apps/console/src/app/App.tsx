// Providers (TanStack Query + tRPC), then the auth gate, then the routed pages.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { setApiKey, getApiKey, signOutReason } from '../lib/api-key.ts'
import { isClientError, isUnauthorized } from '../lib/errors.ts'
import { createConsoleTrpcClient, TRPCProvider } from '../lib/trpc.ts'
import { AuthGate } from './AuthGate.tsx'

function onAuthError(err: unknown) {
  // A key that stops working (revoked, expired) signs the tab out instead of failing every page.
  if (isUnauthorized(err) && getApiKey()) {
    signOutReason.current = 'Your API key is no longer accepted (revoked or expired). Sign in with another key.'
    setApiKey(null)
  }
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onAuthError }),
    mutationCache: new MutationCache({ onError: onAuthError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Live data comes from subscriptions; refetching on focus would only add noise.
        refetchOnWindowFocus: false,
        retry: (count, err) => !isClientError(err) && count < 2,
      },
    },
  })
}

export function App() {
  const [queryClient] = useState(makeQueryClient)
  const [trpcClient] = useState(createConsoleTrpcClient)
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AuthGate />
      </TRPCProvider>
    </QueryClientProvider>
  )
}

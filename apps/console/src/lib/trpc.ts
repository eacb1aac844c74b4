// tRPC for the console: queries and mutations batched over HTTP, subscriptions over SSE. The
// `eventsource` ponyfill is used instead of the browser's EventSource because only it can send
// the API key as a header (keys mode); it runs on fetch, so it behaves the same in every browser.
import type { AppRouter } from '@runyard/api'
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import { EventSource } from 'eventsource'
import { getApiKey } from './api-key.ts'

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

function keyHeaders(): Record<string, string> {
  const key = getApiKey()
  return key ? { 'x-api-key': key } : {}
}

/** fetch with the current key; read on every request so signing in/out needs no new client. */
const fetchWithKey: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers)
  for (const [k, v] of Object.entries(keyHeaders())) headers.set(k, v)
  return fetch(input, { ...init, headers })
}

export function createConsoleTrpcClient(): TRPCClient<AppRouter> {
  const url = `${window.location.origin}/trpc`
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: fetchWithKey }) }),
        false: httpBatchLink({ url, headers: keyHeaders }),
      }),
    ],
  })
}

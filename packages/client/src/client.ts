// A typed client for other TypeScript services: tRPC (queries, mutations and SSE subscriptions,
// in Node and browsers) plus a REST client typed from the OpenAPI document.
import type { AppRouter } from '@runyard/api'
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client'
import { EventSource as EventSourcePonyfill } from 'eventsource'
import createRestClient, { type Client } from 'openapi-fetch'
import type { paths } from './rest-types.ts'

export interface RunyardClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:7700 */
  url: string
  /** API key (omit against a local-mode server). */
  apiKey?: string
  fetch?: typeof fetch
}

export interface RunyardClient {
  trpc: TRPCClient<AppRouter>
  rest: Client<paths>
}

export function createRunyardClient(opts: RunyardClientOptions): RunyardClient {
  const base = opts.url.replace(/\/+$/, '')
  const headers: Record<string, string> = opts.apiKey ? { 'x-api-key': opts.apiKey } : {}
  const baseFetch = opts.fetch ?? globalThis.fetch
  const fetchWithKey: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } })
  // Browsers have EventSource (without custom headers: use local mode or a same-origin proxy
  // there); Node 20 needs the ponyfill, which also lets us send the key.
  const EventSource =
    (globalThis.EventSource as typeof EventSourcePonyfill | undefined) && !opts.apiKey
      ? globalThis.EventSource
      : EventSourcePonyfill
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          EventSource: EventSource as typeof EventSourcePonyfill,
          eventSourceOptions: () => ({ fetch: fetchWithKey }),
        }),
        false: httpBatchLink({ url: `${base}/trpc`, headers, fetch: baseFetch }),
      }),
    ],
  })
  const rest = createRestClient<paths>({ baseUrl: base, headers, fetch: baseFetch })
  return { trpc, rest }
}

// @runyard/egress: what the server may reach when someone else chooses the address — the agent's
// `fetch` tool, files a model cannot download itself, webhook deliveries. One address policy
// (loopback, private, link-local, metadata… refused unless the operator allows a host) and the
// HTTP client that applies it on every hop and on the address actually connected to.
export {
  DEFAULT_FETCH_POLICY,
  FetchBlockedError,
  guardedFetch,
  hostListed,
  targetRefusal,
  type FetchPolicy,
  type GuardedRequest,
  type GuardedResponse,
} from './guarded-fetch.ts'
export { blockedReason } from './ip-policy.ts'

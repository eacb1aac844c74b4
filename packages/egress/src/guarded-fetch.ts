// HTTP requests the server makes to addresses someone else chose: the agent's `fetch` tool (and
// the files a model cannot download itself), webhook deliveries. They run in the server process,
// so they must not become a way into the server's network: every hop (redirects are followed by
// hand) has its host checked, IP literals directly and names on the addresses DNS returns — inside
// the socket's own `lookup`, so the address checked is the address connected to (no DNS
// rebinding between check and connect).
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { LookupFunction } from 'node:net'
import { blockedReason } from './ip-policy.ts'

export interface FetchPolicy {
  /** Allow private, loopback, link-local… targets (RUNYARD_FETCH_ALLOW_PRIVATE=true). Default false. */
  allowPrivate: boolean
  /** `host` or `host:port` entries reachable even when private (RUNYARD_FETCH_ALLOW_HOSTS). */
  allowHosts: string[]
  /** Whole-request timeout. Default 30 s. */
  timeoutMs: number
  /** Response bytes kept; the rest is not read. Default 1 MiB. */
  maxBytes: number
  /** Redirects followed. Default 5; with 0 a redirect is returned as it is. */
  maxRedirects: number
  /** The end of a refusal's message: how an operator allows the address. Default: the `fetch` tool's setting. */
  refusalHint?: string
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowPrivate: false,
  allowHosts: [],
  timeoutMs: 30_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
}

const FETCH_REFUSAL_HINT = 'Fetching private or internal addresses is disabled (RUNYARD_FETCH_ALLOW_PRIVATE).'

/** A target refused by the policy (the tool reports it as an error). */
export class FetchBlockedError extends Error {
  override readonly name = 'FetchBlockedError'
}

export interface GuardedRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
}

export interface GuardedResponse {
  status: number
  statusText: string
  /** URL of the last hop. */
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
  truncated: boolean
  redirects: string[]
}

/** Whether `url`'s host is in `hosts` (entries `host` or `host:port`, as the allow-list settings take them). */
export function hostListed(url: URL, hosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase()
  return hosts.some((h) => {
    const entry = h.trim().toLowerCase()
    return entry === url.host.toLowerCase() || entry === host
  })
}

function hostAllowed(url: URL, policy: Pick<FetchPolicy, 'allowPrivate' | 'allowHosts'>): boolean {
  return policy.allowPrivate || hostListed(url, policy.allowHosts)
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
}

/** A `lookup` that refuses names resolving to any blocked address. */
function guardedLookup(hostname: string, hint: string): LookupFunction {
  return (name, options, callback) => {
    dns.lookup(name, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      const list = addresses
      for (const a of list) {
        const reason = blockedReason(a.address)
        if (reason) {
          return callback(
            new FetchBlockedError(`Refused: ${hostname} resolves to ${a.address}, a ${reason} address. ${hint}`),
            '',
            0,
          )
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
      const first = list[0]
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
      callback(null, first.address, first.family)
    })
  }
}

/**
 * Why the policy refuses `url` before any DNS look-up (scheme, an internal IP literal, a
 * localhost name), or null. For checking a URL when it is stored (a webhook endpoint); a name is
 * still checked on the addresses it resolves to when the request is made.
 */
export function targetRefusal(
  url: URL,
  policy: Pick<FetchPolicy, 'allowPrivate' | 'allowHosts' | 'refusalHint'>,
): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `Refused: only http and https URLs can be fetched (got ${url.protocol})`
  if (hostAllowed(url, policy)) return null
  const host = bareHost(url)
  if (net.isIP(host)) {
    const reason = blockedReason(host)
    return reason ? `Refused: ${host} is a ${reason} address. ${policy.refusalHint ?? FETCH_REFUSAL_HINT}` : null
  }
  // `localhost.` is the same name as `localhost` (the trailing dot is the DNS root)
  let name = host
  while (name.endsWith('.')) name = name.slice(0, -1)
  if (name === 'localhost' || name.endsWith('.localhost')) return `Refused: ${host} is a loopback name`
  return null
}

/** Throws when the policy refuses `url` outright; true when its name's addresses must be checked at connect time. */
function checkTarget(url: URL, policy: FetchPolicy): boolean {
  const refusal = targetRefusal(url, policy)
  if (refusal) throw new FetchBlockedError(refusal)
  return !hostAllowed(url, policy) && !net.isIP(bareHost(url))
}

interface Hop {
  status: number
  statusText: string
  headers: http.IncomingHttpHeaders
  body: Buffer
  truncated: boolean
}

function requestOnce(
  url: URL,
  req: GuardedRequest,
  policy: FetchPolicy,
  checkDns: boolean,
  signal: AbortSignal,
): Promise<Hop> {
  const mod = url.protocol === 'https:' ? https : http
  return new Promise<Hop>((resolve, reject) => {
    const r = mod.request(
      url,
      {
        method: req.method,
        headers: { 'accept-encoding': 'identity', 'user-agent': 'Runyard-agent/1', ...req.headers },
        signal,
        ...(checkDns ? { lookup: guardedLookup(url.hostname, policy.refusalHint ?? FETCH_REFUSAL_HINT) } : {}),
        // one connection per request: an agent-level socket pool would bypass our lookup
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        let truncated = false
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated,
          })
        res.on('data', (chunk: Buffer) => {
          const room = policy.maxBytes - size
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room))
            size = policy.maxBytes
            truncated = true
            res.destroy()
            finish()
            return
          }
          chunks.push(chunk)
          size += chunk.length
        })
        res.on('end', finish)
        res.on('error', (e) => (truncated ? finish() : reject(e)))
      },
    )
    r.on('error', reject)
    if (req.body !== undefined && req.method === 'POST') r.write(req.body)
    r.end()
  })
}

/** Performs the request, checking every hop against the policy. */
export async function guardedFetch(req: GuardedRequest, policy: FetchPolicy): Promise<GuardedResponse> {
  const timeout = AbortSignal.timeout(policy.timeoutMs)
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    throw new FetchBlockedError(`Invalid URL: ${req.url}`)
  }
  let current: GuardedRequest = req
  const redirects: string[] = []
  for (;;) {
    const checkDns = checkTarget(url, policy)
    let hop: Hop
    try {
      hop = await requestOnce(url, current, policy, checkDns, signal)
    } catch (e) {
      if (e instanceof FetchBlockedError) throw e
      const cause = (e as { cause?: unknown }).cause
      if (cause instanceof FetchBlockedError) throw cause
      if (timeout.aborted && !req.signal?.aborted)
        throw new Error(`Timed out after ${policy.timeoutMs} ms fetching ${url.href}`)
      throw e
    }
    const location = hop.headers.location
    if (hop.status >= 300 && hop.status < 400 && location && policy.maxRedirects > 0) {
      if (redirects.length >= policy.maxRedirects)
        throw new Error(`Too many redirects (more than ${policy.maxRedirects}) starting at ${req.url}`)
      const next = new URL(location, url)
      redirects.push(next.href)
      // 301/302/303 turn into GET without a body; 307/308 repeat the request as it was.
      const keep = hop.status === 307 || hop.status === 308
      // headers chosen by the model (e.g. Authorization) are not sent to another origin
      const sameOrigin = next.origin === url.origin
      current = {
        ...current,
        method: keep ? current.method : 'GET',
        headers: sameOrigin ? current.headers : {},
        ...(keep ? {} : { body: undefined }),
      }
      url = next
      continue
    }
    return { ...hop, url: url.href, redirects }
  }
}

// One attempt at delivering a webhook message: signed as Standard Webhooks specifies (with the
// `standardwebhooks` reference library), POSTed under the same address policy as the agent's
// `fetch` tool (no private, loopback or metadata addresses unless the operator allows the host),
// with a bounded time and a bounded, discarded response body. Redirects are not followed.
import { FetchBlockedError, guardedFetch, type FetchPolicy } from '@runyard/egress'
import { Webhook } from 'standardwebhooks'

/** Longest an attempt may take, connection and answer included. */
export const WEBHOOK_TIMEOUT_MS = 10_000

/** Response bytes read (then discarded): enough to see the answer end, never a large body. */
const MAX_RESPONSE_BYTES = 4096

export interface OutgoingMessage {
  id: string
  url: string
  secret: string
  /** The JSON body, exactly as stored. */
  payload: string
}

export type AttemptResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string }

export function webhookPolicy(allowHosts: readonly string[]): FetchPolicy {
  return {
    allowPrivate: false,
    allowHosts: [...allowHosts],
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    maxBytes: MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    refusalHint:
      'Webhooks do not reach private or internal addresses unless the host is listed in RUNYARD_WEBHOOK_ALLOW_HOSTS.',
  }
}

/** The Standard Webhooks headers of `message` sent at `at`. */
export function signatureHeaders(
  message: Pick<OutgoingMessage, 'id' | 'secret' | 'payload'>,
  at: Date,
): Record<string, string> {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(message.secret).sign(message.id, at, message.payload),
  }
}

export async function sendMessage(
  message: OutgoingMessage,
  policy: FetchPolicy,
  signal?: AbortSignal,
): Promise<AttemptResult> {
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Runyard-Webhooks/1',
    ...signatureHeaders(message, new Date()),
  }
  try {
    const res = await guardedFetch(
      { url: message.url, method: 'POST', headers, body: message.payload, ...(signal ? { signal } : {}) },
      policy,
    )
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status }
    const location = res.headers.location
    const why =
      res.status >= 300 && res.status < 400 && location
        ? `HTTP ${res.status}: redirects are not followed (to ${String(location).slice(0, 300)})`
        : `HTTP ${res.status}`
    return { ok: false, statusCode: res.status, error: why }
  } catch (err) {
    const text = err instanceof FetchBlockedError ? err.message : `Request failed: ${describe(err)}`
    return { ok: false, statusCode: null, error: text.slice(0, 1000) }
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as NodeJS.ErrnoException).code
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message
}

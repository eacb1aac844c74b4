// Which URLs a webhook endpoint may have, checked when it is stored: https (http only to a host the
// operator allows), no credentials in the URL, not too long, and not an address the delivery's
// address policy refuses (the same as the agent's `fetch` tool). A name is checked again on the
// addresses it resolves to at every delivery.
import { badRequest, WEBHOOK_URL_MAX } from '@runyard/contract'
import { hostListed, targetRefusal } from '@runyard/egress'

const HINT =
  'Webhooks do not reach private or internal addresses unless the host is listed in RUNYARD_WEBHOOK_ALLOW_HOSTS.'

/** The URL as stored (normalised by the URL parser), or a 400 naming `url`. */
export function checkWebhookUrl(raw: string, allowHosts: readonly string[]): string {
  const refuse = (message: string) => badRequest(message, { param: 'url' })
  if (raw.length > WEBHOOK_URL_MAX) throw refuse(`url must be at most ${WEBHOOK_URL_MAX} characters`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse('url must be an absolute https:// URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(`url must be an https:// URL (got ${url.protocol})`)
  if (url.username || url.password)
    throw refuse('url must not contain credentials (user:password@): verify the signature instead')
  if (url.protocol === 'http:' && !hostListed(url, allowHosts))
    throw refuse('url must use https (plain http only to hosts listed in RUNYARD_WEBHOOK_ALLOW_HOSTS)')
  const refusal = targetRefusal(url, { allowPrivate: false, allowHosts: [...allowHosts], refusalHint: HINT })
  if (refusal) throw refuse(`url refused: ${refusal.replace(/^Refused: /, '')}`)
  if (url.href.length > WEBHOOK_URL_MAX) throw refuse(`url must be at most ${WEBHOOK_URL_MAX} characters`)
  return url.href
}

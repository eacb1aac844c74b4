// The caller of a request, resolved once however many layers ask (the tRPC pre-check and
// its procedures, a REST route).
import type { IncomingMessage } from 'node:http'
import { secretFromHeaders, type AuthContext, type AuthService } from '@runyard/services'

const resolved = new WeakMap<IncomingMessage, Promise<AuthContext>>()

export function requestAuth(auth: AuthService, req: IncomingMessage): Promise<AuthContext> {
  let p = resolved.get(req)
  if (!p) resolved.set(req, (p = auth.authenticate(secretFromHeaders(req.headers))))
  return p
}

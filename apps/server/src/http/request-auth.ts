// The caller of a request, resolved once however many layers ask (the tRPC pre-check and
// its procedures, a REST route).
import type { IncomingMessage } from 'node:http'
import { secretFromHeaders, type AuthContext, type AuthService } from '@runyard/services'
import { surfaceOfPath } from '../observability/surface.ts'

const resolved = new WeakMap<IncomingMessage, Promise<AuthContext>>()

/** The caller of `req`, tagged with the surface the request came through (for run metrics). */
export function requestAuth(auth: AuthService, req: IncomingMessage & { originalUrl?: string }): Promise<AuthContext> {
  let p = resolved.get(req)
  if (!p) {
    const surface = surfaceOfPath(req.originalUrl ?? req.url ?? '')
    resolved.set(
      req,
      (p = auth.authenticate(secretFromHeaders(req.headers)).then((caller) => ({ ...caller, surface }))),
    )
  }
  return p
}

// What keeps web pages away from a local-mode server (no key needed on this machine). A page the
// user merely visits can send requests to 127.0.0.1 itself, or reach it through DNS rebinding
// (its own name re-pointed at 127.0.0.1). So in local mode:
//   - requests whose `Host` is not a loopback name or address are refused (rebinding sends the
//     attacker's name);
//   - state-changing requests from a browser `Origin` other than this server's own (and those in
//     RUNYARD_CORS_ORIGINS) are refused (a cross-site form or fetch always sends its Origin).
// In keys mode neither applies: every request needs a key, which a foreign page does not have.
import net from 'node:net'
import { AppError } from '@runyard/contract'
import type { RequestHandler } from 'express'
import type { AuthService } from '@runyard/services'
import { sendError } from './route.ts'
import { errorShapeForPath } from './error-shapes.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface LocalGuardOptions {
  auth: AuthService
  /** Exact origins (scheme://host[:port]) allowed besides the server's own. */
  corsOrigins: readonly string[]
  /** RUNYARD_PUBLIC_URL, whose host and origin are this server's too. */
  publicUrl?: string
}

/** The host name of a `Host` header value (`127.0.0.1:7700`, `[::1]:7700`, `localhost`). */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host)
  if (bracketed) return bracketed[1]!
  return host.replace(/:\d+$/, '').toLowerCase()
}

export function isLoopbackHostName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (net.isIPv4(name)) return name.startsWith('127.')
  return name === '::1'
}

export function localGuard(opts: LocalGuardOptions): RequestHandler {
  const publicUrl = opts.publicUrl ? new URL(opts.publicUrl) : undefined
  const allowedOrigins = new Set([...opts.corsOrigins, ...(publicUrl ? [publicUrl.origin] : [])])
  return (req, res, next) => {
    const refuse = (message: string) =>
      sendError(res, errorShapeForPath(req.path), new AppError('forbidden', 'origin_not_allowed', message))
    opts.auth.currentMode().then((mode) => {
      if (mode !== 'local') return next()
      const host = req.headers.host ?? ''
      if (!(isLoopbackHostName(hostName(host)) || host === publicUrl?.host)) {
        return refuse(
          `This Runyard server runs in local mode (no API key needed) and only answers requests addressed to localhost, 127.0.0.1 or [::1]; ` +
            `Host "${host.slice(0, 200)}" was refused (DNS-rebinding protection). To serve other names, create an API key (keys mode) or set RUNYARD_PUBLIC_URL.`,
        )
      }
      const origin = req.headers.origin
      if (
        !SAFE_METHODS.has(req.method) &&
        origin !== undefined &&
        origin !== `http://${host}` &&
        origin !== `https://${host}` &&
        !allowedOrigins.has(origin)
      ) {
        return refuse(
          `A web page from ${origin.slice(0, 200)} may not change anything on this local-mode Runyard server. ` +
            'To let a browser app on that origin use it, list the origin in RUNYARD_CORS_ORIGINS.',
        )
      }
      next()
    }, next)
  }
}

// The E2B control plane (JSON REST, as the SDK's openapi-fetch client calls it).
// Error bodies carry `code`: the SDK reads it from the body, not from the status.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { num, readJson, sendEmpty, sendJson, str, stringRecord } from './http-util.ts'
import { FakeSandbox } from './sandbox-state.ts'

export interface ControlPlaneContext {
  sandboxes: Map<string, FakeSandbox>
  tempRoot: string
  envdVersion: string
  defaultTimeoutMs: number
  /** Templates that `create` refuses (to test error paths); empty by default. */
  unknownTemplates: Set<string>
}

function apiError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { code: status, message })
}

function created(sbx: FakeSandbox): Record<string, unknown> {
  return {
    sandboxID: sbx.id,
    templateID: sbx.templateID,
    clientID: 'fake-client',
    envdVersion: sbx.envdVersion,
    envdAccessToken: sbx.envdAccessToken,
  }
}

/** Returns false when the path is not a control-plane route. */
export async function handleControlPlane(
  ctx: ControlPlaneContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET'
  const p = url.pathname

  if (p === '/v2/sandboxes' || p === '/sandboxes') {
    if (method === 'POST' && p === '/v2/sandboxes') {
      const body = await readJson(req)
      const templateID = str(body.templateID) ?? 'base'
      if (ctx.unknownTemplates.has(templateID)) {
        apiError(res, 404, `template '${templateID}' not found`)
        return true
      }
      const timeoutS = num(body.timeout)
      const sbx = new FakeSandbox({
        templateID,
        envVars: stringRecord(body.envVars),
        metadata: stringRecord(body.metadata),
        timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : ctx.defaultTimeoutMs,
        envdVersion: ctx.envdVersion,
        tempRoot: ctx.tempRoot,
      })
      ctx.sandboxes.set(sbx.id, sbx)
      sendJson(res, 201, created(sbx))
      return true
    }
    if (method === 'GET') {
      const states = (url.searchParams.get('state') ?? 'running,paused').split(',')
      const list = [...ctx.sandboxes.values()]
        .filter((s) => s.state !== 'killed' && states.includes(s.state))
        .map((s) => s.info())
      sendJson(res, 200, list)
      return true
    }
  }

  const m = /^(?:\/v2)?\/sandboxes\/([^/]+)(?:\/(connect|resume|timeout|pause|refreshes))?$/.exec(p)
  if (!m) return false
  const id = decodeURIComponent(m[1] ?? '')
  const action = m[2]
  const sbx = ctx.sandboxes.get(id)
  if (!sbx || sbx.state === 'killed') {
    await readJson(req).catch(() => ({}))
    apiError(res, 404, `sandbox "${id}" not found`)
    return true
  }

  if (action === undefined && method === 'GET') {
    sendJson(res, 200, { ...sbx.info(), envdAccessToken: sbx.envdAccessToken })
    return true
  }
  if (action === undefined && method === 'DELETE') {
    await sbx.kill()
    sendEmpty(res, 204)
    return true
  }
  if ((action === 'connect' || action === 'resume') && method === 'POST') {
    const body = await readJson(req)
    const timeoutS = num(body.timeout)
    const wasPaused = sbx.state === 'paused'
    if (wasPaused) sbx.resume()
    if (timeoutS !== undefined) {
      // like E2B: connecting only ever extends a running sandbox's timeout
      const end = Date.now() + timeoutS * 1000
      if (wasPaused || end > sbx.endAt.getTime()) sbx.endAt = new Date(end)
    }
    sendJson(res, wasPaused ? 201 : 200, created(sbx))
    return true
  }
  if (action === 'timeout' && method === 'POST') {
    const body = await readJson(req)
    const timeoutS = num(body.timeout) ?? 0
    sbx.endAt = new Date(Date.now() + timeoutS * 1000)
    sendEmpty(res, 204)
    return true
  }
  if (action === 'pause' && method === 'POST') {
    await readJson(req)
    if (sbx.state === 'paused') {
      apiError(res, 409, `sandbox "${id}" is already paused`)
      return true
    }
    sbx.pause()
    sendEmpty(res, 204)
    return true
  }
  if (action === 'refreshes' && method === 'POST') {
    await readJson(req)
    sendEmpty(res, 204)
    return true
  }
  apiError(res, 405, `${method} ${p} is not supported by the fake`)
  return true
}

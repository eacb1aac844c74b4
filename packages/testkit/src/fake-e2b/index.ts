/**
 * A protocol-level fake of E2B for offline tests: a real `node:http` server speaking the
 * control-plane REST API and envd's Connect RPC + `/files` API, as the real `e2b` SDK
 * (2.51.0) calls them. Each sandbox is a temp directory and its commands really run on the
 * host (`/bin/bash -l -c <cmd>`, cwd mapped into the temp dir: sandbox `/home/user/x` is
 * `<sandbox.rootDir>/home/user/x`). Absolute paths *inside command strings* are host paths;
 * pass `cwd` and use relative paths in commands.
 *
 * Point the SDK at it with `Sandbox.create({ ...fake.connectionOpts })` (apiKey/apiUrl/
 * sandboxUrl options) or with the env vars in `fake.env` (E2B_API_KEY, E2B_API_URL,
 * E2B_SANDBOX_URL).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConnectRpcError, sendUnaryError, ServerStream } from './connect-rpc.ts'
import { handleControlPlane } from './control-plane.ts'
import { handleFiles } from './envd-files.ts'
import { handleFilesystemRpc } from './envd-filesystem.ts'
import { handleProcessRpc } from './envd-process.ts'
import { sendEmpty, sendJson } from './http-util.ts'
import type { FakeSandbox } from './sandbox-state.ts'

export { FakeProcess, FakeSandbox } from './sandbox-state.ts'
export type { FakeProcessConfig, FakeProcessEvent, FakeSandboxState } from './sandbox-state.ts'

export interface StartFakeE2BOptions {
  /** The key the control plane accepts (X-API-KEY). Default: a random string. */
  apiKey?: string
  /** envdVersion reported on create/connect; gates SDK features. Default `0.6.4`. */
  envdVersion?: string
  /** Sandbox timeout when create sends none. Default 5 minutes (recorded, not enforced). */
  defaultTimeoutMs?: number
  /** Template ids for which create answers 404 (to exercise error paths). */
  unknownTemplates?: string[]
}

export interface FakeE2BRequest {
  method: string
  path: string
  /** `E2b-Sandbox-Id` header: set on envd requests. */
  sandboxId?: string
}

export interface FakeE2B {
  /** Base URL, serving both the control plane and envd. */
  readonly url: string
  readonly apiKey: string
  /** Spread into `Sandbox.create/connect/kill` options. */
  readonly connectionOpts: { apiKey: string; apiUrl: string; sandboxUrl: string }
  /** The same settings as environment variables the SDK reads. */
  readonly env: { E2B_API_KEY: string; E2B_API_URL: string; E2B_SANDBOX_URL: string }
  /** Every sandbox ever created (killed ones stay, with `state: 'killed'`). */
  readonly sandboxes: ReadonlyMap<string, FakeSandbox>
  /** Log of every request received, oldest first. */
  readonly requests: readonly FakeE2BRequest[]
  /**
   * Holds every sandbox create (`POST /v2/sandboxes`) received from now on, as a slow control
   * plane would, until the returned function is called; the held creates then complete.
   */
  holdCreates(): () => void
  /** Kills all processes, stops the server and removes the temp directories. */
  close(): Promise<void>
}

function isEnvdPath(p: string): boolean {
  return (
    p === '/health' || p === '/files' || p.startsWith('/process.Process/') || p.startsWith('/filesystem.Filesystem/')
  )
}

/** envd identifies the user by `Authorization: Basic base64("<user>:")`; none means the default user. */
function userFrom(req: http.IncomingMessage): string {
  const auth = req.headers.authorization
  if (!auth?.startsWith('Basic ')) return 'user'
  const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
  return decoded.split(':')[0] || 'user'
}

export async function startFakeE2B(opts: StartFakeE2BOptions = {}): Promise<FakeE2B> {
  const apiKey = opts.apiKey ?? `e2b_fake_${crypto.randomBytes(12).toString('hex')}`
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-e2b-'))
  const sandboxes = new Map<string, FakeSandbox>()
  const requests: FakeE2BRequest[] = []
  let createsHeld: Promise<void> | undefined
  const ctx = {
    sandboxes,
    tempRoot,
    envdVersion: opts.envdVersion ?? '0.6.4',
    defaultTimeoutMs: opts.defaultTimeoutMs ?? 5 * 60_000,
    unknownTemplates: new Set(opts.unknownTemplates ?? []),
  }

  async function handleEnvd(
    sandboxId: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const sbx = sandboxes.get(sandboxId)
    if (!sbx || sbx.state !== 'running') {
      // what E2B's edge answers for a sandbox that is gone or paused
      sendJson(res, 502, { code: 502, message: `The sandbox ${sandboxId} was not found or is not running` })
      return
    }
    if (req.headers['x-access-token'] !== sbx.envdAccessToken) {
      sendJson(res, 401, { code: 401, message: 'invalid envd access token' })
      return
    }
    const p = url.pathname
    if (p === '/health') return sendEmpty(res, 204)
    if (p === '/files') return handleFiles(sbx, req, res, url)
    const isStream = (req.headers['content-type'] ?? '').startsWith('application/connect+json')
    const [service, method = ''] = p.slice(1).split('/')
    try {
      if (service === 'process.Process') await handleProcessRpc(sbx, method, userFrom(req), req, res)
      else await handleFilesystemRpc(sbx, method, userFrom(req), req, res)
    } catch (e) {
      const err = e instanceof ConnectRpcError ? e : new ConnectRpcError('internal', (e as Error).message)
      if (res.headersSent) return void res.destroy()
      if (isStream) new ServerStream(res).end(err)
      else sendUnaryError(res, err)
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const sandboxId = req.headers['e2b-sandbox-id']
    const sid = typeof sandboxId === 'string' ? sandboxId : undefined
    requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(sid ? { sandboxId: sid } : {}) })
    if (sid && isEnvdPath(url.pathname)) return handleEnvd(sid, req, res, url)
    if (req.headers['x-api-key'] !== apiKey) {
      sendJson(res, 401, { code: 401, message: 'Invalid API key' })
      return
    }
    if (req.method === 'POST' && url.pathname === '/v2/sandboxes') await createsHeld
    if (!(await handleControlPlane(ctx, req, res, url))) {
      sendJson(res, 404, { code: 404, message: `no route for ${req.method} ${url.pathname}` })
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) res.destroy()
      else sendJson(res, 500, { code: 500, message: (e as Error).message })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  let closed: Promise<void> | undefined
  return {
    url,
    apiKey,
    connectionOpts: { apiKey, apiUrl: url, sandboxUrl: url },
    env: { E2B_API_KEY: apiKey, E2B_API_URL: url, E2B_SANDBOX_URL: url },
    sandboxes,
    requests,
    holdCreates() {
      let release = () => {}
      createsHeld = new Promise<void>((resolve) => (release = resolve))
      return () => {
        createsHeld = undefined
        release()
      }
    },
    close() {
      closed ??= (async () => {
        await Promise.all([...sandboxes.values()].map((s) => s.kill()))
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        fs.rmSync(tempRoot, { recursive: true, force: true })
      })()
      return closed
    },
  }
}

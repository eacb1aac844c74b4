// patches/pg@8.23.1.patch (pnpm-workspace.yaml's patchedDependencies): on Node 20, which has no
// `navigator`, pg's lib/stream.js probed for Cloudflare Workers by constructing a `Response` when it
// loads, and that made Node load undici (its fetch) at every server start though nothing fetches
// before listening. The patch skips the probe on Node.js unless a Workers global is there. Each
// check runs in a fresh Node process: this one may have loaded undici for its own reasons.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

// pg as this package resolves it (the server's build links the same folder).
const pgMain = createRequire(import.meta.url).resolve('pg')

function runNode(script: string): string {
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, PG_MAIN: pgMain } })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return r.stdout.trim()
}

describe("pg's Cloudflare probe (patched)", () => {
  it('loading pg on Node does not load undici, and pg uses Node sockets', () => {
    const out = runNode(`
      const pg = require(process.env.PG_MAIN)
      const stream = require(require('node:path').join(process.env.PG_MAIN, '../stream.js'))
      const socket = stream.getStream(false)
      console.log(JSON.stringify({
        undici: process.moduleLoadList.filter((m) => m.includes('undici')),
        socket: socket instanceof require('node:net').Socket,
        client: typeof pg.Client,
      }))`)
    expect(JSON.parse(out)).toEqual({ undici: [], socket: true, client: 'function' })
  })

  it('with a Workers global and a Response that keeps `cf`, pg still takes the Cloudflare path', () => {
    const out = runNode(`
      globalThis.WebSocketPair = class WebSocketPair {}
      globalThis.Response = class Response { constructor(body, init) { this.cf = init && init.cf } }
      const stream = require(require('node:path').join(process.env.PG_MAIN, '../stream.js'))
      console.log(String(stream.getStream).includes('CloudflareSocket'))`)
    expect(out).toBe('true')
  })
})

// The fetch policy on its own: the address classifier, and guardedFetch checking every hop
// (a redirect from an allowed host to a refused one is refused) and capping size.
import dns from 'node:dns/promises'
import http from 'node:http'
import os from 'node:os'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockedReason, DEFAULT_FETCH_POLICY, FetchBlockedError, guardedFetch, type FetchPolicy } from '../src/index.ts'

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', '6to4'],
    ['fe80::1%eth0', 'scoped'],
  ])('refuses %s (%s)', (ip, label) => {
    expect(blockedReason(ip)).toContain(label)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows public %s', (ip) => {
    expect(blockedReason(ip)).toBeNull()
  })
})

// A name that DNS (here: /etc/hosts) resolves to a private address: the machine's own hostname.
const hostName = os.hostname()
const hostAddress = await dns.lookup(hostName).then(
  (a) => a.address,
  () => null,
)
const hostIsPrivate = hostAddress !== null && blockedReason(hostAddress) !== null

describe('guardedFetch', () => {
  let server: http.Server
  let other: http.Server
  let port = 0
  let otherPort = 0
  const hits: string[] = []
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`main ${req.method} ${req.url}`)
      if (req.url === '/to-other') return res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/x` }).end()
      if (req.url === '/to-localhost') return res.writeHead(301, { location: `http://localhost:${port}/final` }).end()
      if (req.url === '/same') return res.writeHead(307, { location: '/final' }).end()
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end()
      if (req.url === '/big') return res.end('x'.repeat(5000))
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => res.end(`final ${req.method} ${body}`))
    })
    other = http.createServer((_req, res) => {
      hits.push('other')
      res.end('other')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
    otherPort = (other.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
    await new Promise((r) => other.close(r))
  })

  const policy = (p: Partial<FetchPolicy> = {}): FetchPolicy => ({
    ...DEFAULT_FETCH_POLICY,
    allowHosts: [`127.0.0.1:${port}`],
    ...p,
  })
  const get = (path: string, p?: Partial<FetchPolicy>) =>
    guardedFetch({ url: `http://127.0.0.1:${port}${path}`, method: 'GET', headers: {} }, policy(p))

  it('follows same-host redirects, keeping method and body on 307', async () => {
    const res = await guardedFetch(
      { url: `http://127.0.0.1:${port}/same`, method: 'POST', headers: {}, body: 'payload' },
      policy(),
    )
    expect(res).toMatchObject({
      status: 200,
      url: `http://127.0.0.1:${port}/final`,
      redirects: [`http://127.0.0.1:${port}/final`],
    })
    expect(res.body.toString()).toBe('final POST payload')
  })

  it('checks every hop: a redirect to a refused address is refused', async () => {
    hits.length = 0
    await expect(get('/to-other')).rejects.toThrow(FetchBlockedError)
    await expect(get('/to-localhost')).rejects.toThrow(/localhost/)
    expect(hits).toEqual(['main GET /to-other', 'main GET /to-localhost'])
  })

  it.runIf(hostIsPrivate)(
    'refuses a name that resolves to a private address (checked on the resolved IP)',
    async () => {
      hits.length = 0
      const err = await guardedFetch(
        { url: `http://${hostName}:${port}/`, method: 'GET', headers: {} },
        DEFAULT_FETCH_POLICY,
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(FetchBlockedError)
      expect((err as Error).message).toContain(`${hostName} resolves to ${hostAddress}`)
      expect(hits).toEqual([])
    },
  )

  it('allows everything with allowPrivate, caps the body and bounds redirects', async () => {
    const res = await guardedFetch(
      { url: `http://localhost:${otherPort}/`, method: 'GET', headers: {} },
      policy({ allowHosts: [], allowPrivate: true }),
    )
    expect(res.body.toString()).toBe('other')
    const big = await get('/big', { maxBytes: 1000 })
    expect(big).toMatchObject({ truncated: true })
    expect(big.body.length).toBe(1000)
    await expect(get('/loop')).rejects.toThrow(/Too many redirects/)
  })
})

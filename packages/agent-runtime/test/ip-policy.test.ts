// The fetch tool's address policy against IPv6 forms that carry an IPv4 address (mapped,
// translated, compatible, NAT64, 6to4, Teredo) and odd spellings of addresses in URLs.
// Nothing here connects anywhere: http(s).request and dns.lookup are replaced by spies that
// fail the test if the guard ever gets that far.
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { blockedReason, DEFAULT_FETCH_POLICY, FetchBlockedError, guardedFetch } from '../src/index.ts'

describe('blockedReason: IPv4 carried in IPv6', () => {
  it.each([
    // IPv4-compatible ::a.b.c.d (deprecated, still tunnelled by e.g. Linux sit0)
    ['::a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['::169.254.169.254', 'link-local', '169.254.169.254'],
    ['::7f00:1', 'loopback', '127.0.0.1'],
    ['::127.0.0.1', 'loopback', '127.0.0.1'],
    ['::a00:1', 'private', '10.0.0.1'],
    ['::0.0.0.2', 'unspecified', '0.0.0.2'],
    // IPv4-translated ::ffff:0:a.b.c.d
    ['::ffff:0:a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['::ffff:0:127.0.0.1', 'loopback', '127.0.0.1'],
    // IPv4-mapped, in other spellings
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback', '127.0.0.1'],
    ['0:0:0:0:0:FFFF:7F00:0001', 'loopback', '127.0.0.1'],
    ['0000:0000:0000:0000:0000:ffff:a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['::FFFF:A9FE:A9FE', 'link-local', '169.254.169.254'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT', '100.64.0.1'],
    ['::ffff:192.168.0.1', 'private', '192.168.0.1'],
    ['::ffff:224.0.0.251', 'multicast', '224.0.0.251'],
    ['::ffff:240.0.0.1', 'reserved', '240.0.0.1'],
    ['::ffff:ffff:ffff', 'broadcast', '255.255.255.255'],
    ['::ffff:0.0.0.0', 'unspecified', '0.0.0.0'],
    // NAT64 well-known prefix
    ['64:ff9b::a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['64:ff9b::127.0.0.1', 'loopback', '127.0.0.1'],
    ['64:FF9B:0:0:0:0:0A00:0001', 'private', '10.0.0.1'],
    // 6to4: the site 2002:AABB:CCDD::/48 belongs to IPv4 AA.BB.CC.DD
    ['2002:a9fe:a9fe::1', 'link-local', '169.254.169.254'],
    ['2002:c0a8:0101:1::1', 'private', '192.168.1.1'],
  ])('refuses %s (%s, judged as %s)', (ip, label, v4) => {
    const reason = blockedReason(ip)
    expect(reason).toContain(label)
    expect(reason).toContain(v4)
  })

  it.each([
    // local-use NAT64: where the IPv4 address sits inside the /48 is the operator's choice
    ['64:ff9b:1::a9fe:a9fe', 'NAT64'],
    ['64:ff9b:1:ff00::808:808', 'NAT64'],
    // Teredo names a relay and an obfuscated NAT mapping, not the destination
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001::a9fe:a9fe', 'Teredo'],
  ])('refuses the tunnel range %s outright (%s)', (ip, label) => {
    expect(blockedReason(ip)).toContain(label)
  })

  it.each([
    ['FD00:EC2::254', 'unique local'],
    ['FE80::A9FE:A9FE', 'link-local'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', 'unspecified'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::ffff:127.0.0.1%lo', 'scoped'],
  ])('refuses %s (%s)', (ip, label) => {
    expect(blockedReason(ip)).toContain(label)
  })

  // inet_aton spellings never reach blockedReason from a URL (the URL parser normalises them,
  // see below); given directly they are not IP addresses to net and are refused as such.
  it.each(['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '::ffff:0177.0.0.1'])(
    'refuses the non-standard spelling %s',
    (ip) => {
      expect(blockedReason(ip)).toBe('not an IP address')
    },
  )

  it.each([
    '8.8.8.8',
    '::ffff:8.8.8.8',
    '::FFFF:808:808',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '::8.8.8.8',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
  ])('allows public %s', (ip) => {
    expect(blockedReason(ip)).toBeNull()
  })
})

describe('guardedFetch refuses odd spellings of internal addresses before connecting', () => {
  const attempts: string[] = []
  const refuse = (what: string) => () => {
    attempts.push(what)
    throw new Error(`test: ${what} must not be reached`)
  }
  beforeEach(() => {
    attempts.length = 0
    vi.spyOn(http, 'request').mockImplementation(refuse('http.request'))
    vi.spyOn(https, 'request').mockImplementation(refuse('https.request'))
    vi.spyOn(dns, 'lookup').mockImplementation(refuse('dns.lookup'))
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.each([
    // the WHATWG URL parser turns these into 127.0.0.1 / 0.0.0.0 before the guard sees them
    ['http://2130706433/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://%31%32%37.0.0.1/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
    ['http://0/', 'unspecified'],
    ['https://0251.0376.0251.0376/latest/meta-data/', 'link-local'],
    // and IPv6 literals into their compressed form
    ['http://[::127.0.0.1]/', 'loopback'],
    ['http://[::a9fe:a9fe]/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:0:a9fe:a9fe]/', 'link-local'],
    ['http://[0:0:0:0:0:FFFF:7F00:0001]:8080/', 'loopback'],
    ['http://[64:ff9b::169.254.169.254]/', 'link-local'],
    ['http://[64:ff9b:1::a9fe:a9fe]/', 'NAT64'],
    ['http://[2002:a9fe:a9fe::]/', 'link-local'],
    ['http://[2001::1]/', 'Teredo'],
  ])('%s', async (url, label) => {
    const err = await guardedFetch({ url, method: 'GET', headers: {} }, DEFAULT_FETCH_POLICY).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FetchBlockedError)
    expect((err as Error).message).toContain(label)
    expect(attempts).toEqual([])
  })

  it('(the spies do stop a request the guard lets through)', async () => {
    await expect(
      guardedFetch({ url: 'http://8.8.8.8/', method: 'GET', headers: {} }, DEFAULT_FETCH_POLICY),
    ).rejects.toThrow(/must not be reached/)
    await expect(
      guardedFetch({ url: 'http://example.com/', method: 'GET', headers: {} }, DEFAULT_FETCH_POLICY),
    ).rejects.toThrow(/must not be reached/)
    expect(attempts).toEqual(['http.request', 'http.request'])
  })
})

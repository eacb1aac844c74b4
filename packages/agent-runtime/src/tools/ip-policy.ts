// Which IP addresses the `fetch` tool must not reach: loopback, private, link-local (cloud
// metadata lives at 169.254.169.254 / fd00:ec2::254), CGNAT, unspecified, multicast and
// reserved ranges. IPv4 addresses embedded in IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96)
// are judged by their IPv4 part, so a literal like [::ffff:7f00:1] cannot sneak to 127.0.0.1.
import net from 'node:net'

const V4_BLOCKED: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified/"this network"'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved/broadcast'],
]

const V6_BLOCKED: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'discard'],
  // 6to4 and Teredo tunnel to IPv4 addresses we cannot check here
  ['2002::', 16, '6to4'],
  ['2001::', 32, 'Teredo'],
]

function buildList(entries: [string, number, string][], family: 'ipv4' | 'ipv6') {
  return entries.map(([addr, prefix, label]) => {
    const list = new net.BlockList()
    list.addSubnet(addr, prefix, family)
    return { list, label: `${label} (${addr}/${prefix})`, family }
  })
}

const V4 = buildList(V4_BLOCKED, 'ipv4')
const V6 = buildList(V6_BLOCKED, 'ipv6')

/** The 8 16-bit groups of an IPv6 address (handles `::` and a trailing dotted IPv4). */
function ipv6Groups(addr: string): number[] | null {
  let a = addr.toLowerCase()
  const tail: number[] = []
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a)
  if (dotted) {
    const o = dotted.slice(2, 6).map(Number)
    if (o.some((x) => x > 255)) return null
    tail.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!)
    a = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1)
  }
  const halves = a.split('::')
  if (halves.length > 2) return null
  const parse = (s: string) => (s ? s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)) : [])
  const head = parse(halves[0] ?? '')
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : []
  const missing = 8 - tail.length - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null
  const groups = [...head, ...Array<number>(missing).fill(0), ...rest, ...tail]
  return groups.some((g) => Number.isNaN(g)) ? null : groups
}

/** The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, if any. */
function embeddedIPv4(addr: string): string | null {
  const g = ipv6Groups(addr)
  if (!g) return null
  const isMapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff
  const isNat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)
  if (!isMapped && !isNat64) return null
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.')
}

/** Why `ip` may not be fetched, or null if it is a public address. */
export function blockedReason(ip: string): string | null {
  const family = net.isIP(ip)
  if (family === 4) return V4.find((b) => b.list.check(ip, 'ipv4'))?.label ?? null
  if (family === 6) {
    if (ip.includes('%')) return 'scoped IPv6 address'
    const v4 = embeddedIPv4(ip)
    if (v4) return blockedReason(v4)
    return V6.find((b) => b.list.check(ip, 'ipv6'))?.label ?? null
  }
  return 'not an IP address'
}

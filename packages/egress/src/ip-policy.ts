// Which IP addresses the `fetch` tool must not reach: loopback, private, link-local (cloud
// metadata lives at 169.254.169.254 / fd00:ec2::254), CGNAT, unspecified, multicast and
// reserved ranges, classified by ipaddr.js. An IPv6 address that carries an IPv4 address
// (mapped, translated, compatible, NAT64, 6to4) is judged by that IPv4 address, since some
// stack or tunnel on the way may deliver it there; a tunnel range whose IPv4 target cannot be
// read from the address (Teredo, local-use NAT64) is refused outright.
import net from 'node:net'
import ipaddr from 'ipaddr.js'

type IPv4 = ipaddr.IPv4
type IPv6 = ipaddr.IPv6

// ipaddr.js range names → the words of the refusal. Names missing here ('unicast', and the
// publicly routed anycast services 'as112', 'as112v6', 'amt') are allowed.
const V4_REFUSED: Record<string, [label: string, where: string]> = {
  unspecified: ['unspecified/"this network"', '0.0.0.0/8'],
  broadcast: ['reserved/broadcast', '255.255.255.255'],
  multicast: ['multicast', '224.0.0.0/4'],
  linkLocal: ['link-local/cloud metadata', '169.254.0.0/16'],
  loopback: ['loopback', '127.0.0.0/8'],
  carrierGradeNat: ['carrier-grade NAT', '100.64.0.0/10'],
  private: ['private', 'RFC 1918'],
  reserved: ['reserved', 'IETF, documentation, benchmarking or 240.0.0.0/4'],
}

const V6_REFUSED: Record<string, string> = {
  unspecified: 'unspecified (::)',
  loopback: 'loopback (::1)',
  linkLocal: 'link-local (fe80::/10)',
  multicast: 'multicast (ff00::/8)',
  uniqueLocal: 'unique local (private) (fc00::/7)',
  deprecatedSiteLocal: 'site-local (fec0::/10)',
  discard: 'discard (100::/64)',
  reserved: 'reserved (IETF or documentation)',
  benchmarking: 'reserved (benchmarking, 2001:2::/48)',
  deprecatedOrchid: 'reserved (ORCHID, not routable)',
  orchid2: 'reserved (ORCHIDv2, not routable)',
  droneRemoteIdProtocolEntityTags: 'reserved (DRIP entity tags, not routable)',
  segmentRouting: 'reserved (SRv6 SIDs, 5f00::/16)',
}

const cidr = (s: string) => ipaddr.IPv6.parseCIDR(s)

/** The last 32 bits of an IPv6 address as IPv4. */
const low32 = (a: IPv6) => v4FromGroups(a.parts[6]!, a.parts[7]!)
const v4FromGroups = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])

// IPv6 forms that carry an IPv4 address, and where it sits. Checked in this order, so the
// narrow /96 ranges come before ::/96 and 64:ff9b::/96 before the local-use 64:ff9b:1::/48.
const EMBEDDING: { range: [IPv6, number]; name: string; v4: ((a: IPv6) => IPv4) | null }[] = [
  // ipaddr.js also reads the dotted `::a.b.c.d` (IPv4-compatible) as mapped; either way the
  // IPv4 part is what is judged.
  { range: cidr('::ffff:0:0/96'), name: 'IPv4-mapped ::ffff:0:0/96', v4: low32 },
  { range: cidr('::ffff:0:0:0/96'), name: 'IPv4-translated ::ffff:0:0:0/96', v4: low32 },
  { range: cidr('::/96'), name: 'IPv4-compatible ::/96', v4: low32 },
  { range: cidr('64:ff9b::/96'), name: 'NAT64 64:ff9b::/96', v4: low32 },
  // RFC 8215: the operator picks where inside the /48 the IPv4 address goes.
  { range: cidr('64:ff9b:1::/48'), name: 'local-use NAT64 64:ff9b:1::/48', v4: null },
  // 2002:AABB:CCDD::/48 is the 6to4 site of IPv4 address AA.BB.CC.DD.
  { range: cidr('2002::/16'), name: '6to4 2002::/16', v4: (a) => v4FromGroups(a.parts[1]!, a.parts[2]!) },
  // The address names a Teredo server and an obfuscated NAT mapping, not where packets go.
  { range: cidr('2001::/32'), name: 'Teredo 2001::/32', v4: null },
]

/** The refusal for an IPv4 address; `via` says which IPv6 form carried it. */
function v4Reason(addr: IPv4, via?: string): string | null {
  const refused = V4_REFUSED[addr.range()]
  if (!refused) return null
  const [label, where] = refused
  return via ? `${label} (${addr.toString()} in ${via})` : `${label} (${where})`
}

function v6Reason(addr: IPv6): string | null {
  const native = addr.range()
  // :: and ::1 lie inside ::/96 but are IPv6's own unspecified and loopback addresses
  if (native === 'unspecified' || native === 'loopback') return V6_REFUSED[native]!
  const form = EMBEDDING.find((e) => addr.match(e.range))
  if (form) {
    if (!form.v4) return `tunnel (${form.name}, IPv4 target unknown)`
    return v4Reason(form.v4(addr), form.name)
  }
  return V6_REFUSED[native] ?? null
}

/** Why `ip` may not be fetched, or null if it is a public address. */
export function blockedReason(ip: string): string | null {
  // net.isIP is the strict notation sockets accept; ipaddr.js alone would also take inet_aton
  // forms (`0177.0.0.1`, `2130706433`), which the URL parser has already normalised anyway.
  const family = net.isIP(ip)
  if (family === 0) return 'not an IP address'
  if (ip.includes('%')) return 'scoped IPv6 address'
  let addr: IPv4 | IPv6
  try {
    addr = ipaddr.parse(ip)
  } catch {
    return 'unparseable IP address'
  }
  return addr instanceof ipaddr.IPv4 ? v4Reason(addr) : v6Reason(addr)
}

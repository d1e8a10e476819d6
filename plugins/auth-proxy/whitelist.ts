// Which TCP peers may assert a user through the proxy header. Entries are IPs or CIDRs, IPv4 or
// IPv6; a bare address is that one host (/32 or /128 — Grafana turns a bare IPv6 into a /32, far too wide).
import ipaddr from 'ipaddr.js'

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]
export interface Whitelist { entries: string[], ranges: Range[] }

export function parseWhitelist (text: string): Whitelist {
  const entries = text.split(/[\s,]+/).filter(e => e !== '')
  const ranges = entries.map((entry): Range => {
    try {
      if (entry.includes('/')) return unmapped(ipaddr.parseCIDR(entry))
      const addr = ipaddr.process(entry)
      return [addr, addr.kind() === 'ipv4' ? 32 : 128]
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range`)
    }
  })
  return { entries, ranges }
}

// ::ffff:10.0.0.0/104 is the IPv4 range 10.0.0.0/8: peers are compared in their IPv4 form.
function unmapped ([addr, bits]: Range): Range {
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return [(addr as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)]
  return [addr, bits]
}

/** An empty list allows every peer (Grafana's default). */
export function isAllowed (list: Whitelist, peer: string | undefined): boolean {
  if (list.ranges.length === 0) return true
  if (peer === undefined || !ipaddr.isValid(peer)) return false
  const addr = ipaddr.process(peer) // ::ffff:10.0.0.1 is 10.0.0.1
  return list.ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match([net, bits] as never))
}

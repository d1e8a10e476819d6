// [live]: Grafana Live's settings, validated at start (Grafana's own limits and messages where it
// has them; an invalid allowed_origins glob stops the server naming the pattern).
import globToRegExp from 'glob-to-regexp'
import type { Reader } from './reader.js'

export interface LiveConfig {
  /** -1 = unlimited, 0 refuses every connection. */
  maxConnections: number
  /** Bytes; -1 = no limit. */
  messageSizeLimit: number
  /** The operator's patterns as written (for log lines and the origin doctor). */
  allowedOrigins: string[]
  /** Compiled globs: `*` crosses every character, as gobwas/glob without separators does. */
  allowedOriginGlobs: RegExp[]
  /** allowed_origins is exactly `*`. */
  allowAnyOrigin: boolean
  /** Let origin refusals through, logged and counted (trying a rule before enforcing it). */
  originReportOnly: boolean
  haEngine: '' | 'redis'
  /** As configured, for log lines. */
  haEngineAddress: string
  haEngineHost: string
  haEnginePort: number
  haEnginePassword: string
  /** Prefix of every Redis channel: `<ha_prefix>.gf_live`, or `gf_live`. */
  haPrefix: string
}

export function readLive (r: Reader): LiveConfig {
  const s = 'live'
  // Grafana splits on commas only; seed 000 writes the list space-separated, and an origin never
  // holds a space, so both separate patterns here.
  const allowedOrigins = splitPatterns(r.str(s, 'allowed_origins'))
  const allowedOriginGlobs = allowedOrigins.map(p => {
    try {
      return globToRegExp(p, { extended: true, globstar: false })
    } catch {
      return r.fail(s, 'allowed_origins', `error parsing origin pattern "${p}"`)
    }
  })
  const engine = r.str(s, 'ha_engine').toLowerCase()
  if (engine !== '' && engine !== 'redis') r.fail(s, 'ha_engine', 'unsupported live HA engine type (use redis or leave empty)')
  const prefix = r.str(s, 'ha_prefix')
  const address = r.str(s, 'ha_engine_address') || '127.0.0.1:6379'
  const hostPort = parseHostPort(address)
  // Checked when it is used: a typo must stop the start, not quietly reach 127.0.0.1:6379.
  if (hostPort === undefined && engine === 'redis') r.fail(s, 'ha_engine_address', 'expected host:port, [ipv6]:port or host (e.g. redis.internal:6379)')
  return {
    maxConnections: r.int(s, 'max_connections', 100, { min: -1 }),
    messageSizeLimit: r.int(s, 'message_size_limit', 65536, { min: -1 }),
    allowedOrigins,
    allowedOriginGlobs,
    allowAnyOrigin: allowedOrigins.length === 1 && allowedOrigins[0] === '*',
    originReportOnly: r.bool(s, 'origin_report_only', false),
    haEngine: engine as LiveConfig['haEngine'],
    haEngineAddress: address,
    haEngineHost: hostPort?.host ?? '127.0.0.1',
    haEnginePort: hostPort?.port ?? 6379,
    haEnginePassword: r.str(s, 'ha_engine_password'),
    haPrefix: prefix === '' ? 'gf_live' : `${prefix}.gf_live`
  }
}

/** Redis's address as Grafana takes it: `host:port`, `[ipv6]:port`, or a host (port 6379). */
function parseHostPort (address: string): { host: string, port: number } | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(address) ?? /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(address)
  if (m === null) return undefined
  const port = m[2] === undefined ? 6379 : Number(m[2])
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : undefined
}

/** Commas and white space separate patterns, except a comma inside a `{a,b}` alternation. */
function splitPatterns (text: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if (ch === '{') depth++
    if (ch === '}') depth = Math.max(0, depth - 1)
    if ((ch === ',' && depth === 0) || /\s/.test(ch)) { out.push(cur); cur = '' } else cur += ch
  }
  out.push(cur)
  return out.map(p => p.trim()).filter(p => p !== '')
}

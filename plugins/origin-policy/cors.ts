// Gatehouse's CORS origin match. Only a serialized origin (scheme://host[:port], as browsers
// send it) can match; a wildcard pattern matches whole labels, so https://*.example.com never
// admits example.com, evilexample.com or example.com.evil.com.
import type { CorsConfig, OriginPattern } from '../../config/cors.js'
import type { OriginVerdict } from './rules.js'

export function checkCorsOrigin (origin: string | undefined, cors: Pick<CorsConfig, 'allowAny' | 'allowedOrigins'>): OriginVerdict {
  if (origin === undefined || origin === '') return { allowed: false, rule: 'no-origin' }
  if (origin === 'null') return { allowed: false, rule: 'cors-null-origin' }
  const parsed = parseOrigin(origin)
  if (parsed === undefined) return { allowed: false, rule: 'cors-not-serialized' }
  if (cors.allowAny) return { allowed: true, rule: 'cors-any' }
  const hit = cors.allowedOrigins.find(p => matches(p, parsed))
  return hit === undefined
    ? { allowed: false, rule: cors.allowedOrigins.length === 0 ? 'cors-list-empty' : 'cors-not-listed' }
    : { allowed: true, rule: 'cors-listed', pattern: hit.text }
}

interface ParsedOrigin { scheme: string, host: string, port: string }

function parseOrigin (origin: string): ParsedOrigin | undefined {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return undefined
  }
  // Anything beyond the origin (path, credentials, trailing slash) means it is not an Origin value.
  if (url.origin === 'null' || url.origin.toLowerCase() !== origin.toLowerCase()) return undefined
  return { scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port }
}

function matches (p: OriginPattern, o: ParsedOrigin): boolean {
  if (p.scheme !== o.scheme || p.port !== o.port) return false
  return p.wildcard ? o.host.length > p.host.length + 1 && o.host.endsWith(`.${p.host}`) : o.host === p.host
}

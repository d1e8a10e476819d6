// [cors]: Gatehouse's explicit CORS allowlist (Grafana has none). Patterns are parsed here, once,
// so a typo stops the server naming it instead of silently allowing or refusing browsers.
import type { Reader } from './reader.js'

/** An allowed origin: exact, or `scheme://*.suffix[:port]` matching subdomains of suffix. */
export interface OriginPattern {
  text: string
  scheme: string
  /** Exact: the host; wildcard: the suffix after `*.`. Lower-case, IDN in punycode. */
  host: string
  /** '' when the scheme's default. */
  port: string
  wildcard: boolean
}

export interface CorsConfig {
  /** Empty: CORS is off and no Access-Control-* header is ever sent. */
  allowedOrigins: OriginPattern[]
  allowAny: boolean
  allowCredentials: boolean
  allowedMethods: string[]
  allowedHeaders: string[]
  exposedHeaders: string[]
  maxAgeSeconds: number
  allowPrivateNetwork: boolean
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/

export function readCors (r: Reader): CorsConfig {
  const s = 'cors'
  const entries = r.list(s, 'allowed_origins')
  const allowAny = entries.includes('*')
  if (allowAny && entries.length > 1) r.fail(s, 'allowed_origins', '* allows every origin; list nothing else with it')
  const allowCredentials = r.bool(s, 'allow_credentials', true)
  if (allowAny && allowCredentials) {
    r.fail(s, 'allowed_origins', 'allowing every origin (*) together with allow_credentials = true would let any web page act as the signed-in user; ' +
      'list the origins, or set [cors] allow_credentials = false')
  }
  const headerList = (key: string, fallback: string): string[] => {
    const list = (r.has(s, key) ? r.list(s, key) : fallback.split(/[\s,]+/)).filter(h => h !== '')
    for (const h of list) if (!TOKEN.test(h)) r.fail(s, key, `"${h}" is not a header or method name`)
    return list
  }
  return {
    allowedOrigins: allowAny ? [] : entries.map(e => parseOriginPattern(r, e)),
    allowAny,
    allowCredentials,
    allowedMethods: headerList('allowed_methods', 'GET, HEAD, POST, PUT, PATCH, DELETE').map(m => m.toUpperCase()),
    allowedHeaders: headerList('allowed_headers', 'Authorization, Content-Type, X-Grafana-Org-Id, X-Grafana-Device-Id, X-Requested-With'),
    exposedHeaders: headerList('exposed_headers', ''),
    maxAgeSeconds: r.int(s, 'max_age', 600, { min: -1 }),
    allowPrivateNetwork: r.bool(s, 'allow_private_network', false)
  }
}

function parseOriginPattern (r: Reader, text: string): OriginPattern {
  const bad = (why: string): never => r.fail('cors', 'allowed_origins', `"${text}" ${why}`)
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^/?#]+)$/i.exec(text)
  if (m === null) {
    return bad(text.includes('*')
      ? 'must be an origin such as https://app.example.com, with * only as the first label (https://*.example.com)'
      : 'must be an origin such as https://app.example.com (scheme and host, no path)')
  }
  const wildcard = m[2] !== undefined
  if (m[3]!.includes('*')) bad('may use * only as the first label (https://*.example.com)')
  let url: URL
  try {
    url = new URL(`${m[1]!}://${m[3]!}`)
  } catch {
    return bad('is not a valid origin')
  }
  if (url.username !== '' || url.password !== '' || url.hostname === '' || url.hostname.includes('*')) bad('is not a valid origin')
  // A wildcard over a bare TLD or an IP address would match far more than anyone means.
  if (wildcard && (!url.hostname.includes('.') || /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith('['))) {
    bad('wildcards need a domain with at least two labels after *. (https://*.example.com)')
  }
  return { text, scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port, wildcard }
}

// [auth.proxy]: Grafana's auth proxy settings, validated at start (a bad whitelist entry or
// header mapping stops the server with a message naming it, instead of silently disabling the proxy).
import type { Reader } from './reader.js'
import { parseWhitelist, type Whitelist } from '../plugins/auth-proxy/whitelist.js'

export const PROXY_FIELDS = ['Name', 'Email', 'Login', 'Role', 'Groups'] as const
export type ProxyField = typeof PROXY_FIELDS[number]

export interface AuthProxyConfig {
  enabled: boolean
  headerName: string
  headerProperty: 'username' | 'email'
  autoSignUp: boolean
  /** 0 disables the cache: every request re-syncs. */
  syncTtlMs: number
  whitelist: Whitelist
  /** Field → request header name (lower-cased for lookup). */
  headers: Partial<Record<ProxyField, string>>
  headersEncoded: boolean
  enableLoginToken: boolean
}

export function readAuthProxy (r: Reader): AuthProxyConfig {
  const s = 'auth.proxy'
  const whitelistText = r.str(s, 'whitelist')
  let whitelist: Whitelist
  try {
    whitelist = parseWhitelist(whitelistText)
  } catch (err) {
    return r.fail(s, 'whitelist', (err as Error).message)
  }
  const headers: Partial<Record<ProxyField, string>> = {}
  for (const pair of r.list(s, 'headers')) {
    const i = pair.indexOf(':')
    const field = PROXY_FIELDS.find(f => f.toLowerCase() === pair.slice(0, Math.max(i, 0)).toLowerCase())
    const header = pair.slice(i + 1).trim()
    if (i <= 0 || field === undefined || header === '') {
      r.fail(s, 'headers', `entry "${pair}" must be Field:Header-Name with Field one of ${PROXY_FIELDS.join(', ')}`)
    }
    headers[field] = header.toLowerCase()
  }
  const headerName = r.str(s, 'header_name') || 'X-WEBAUTH-USER'
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(headerName)) r.fail(s, 'header_name', 'must be an HTTP header name')
  return {
    enabled: r.bool(s, 'enabled', false),
    headerName: headerName.toLowerCase(),
    headerProperty: r.oneOf(s, 'header_property', ['username', 'email'], 'username'),
    autoSignUp: r.bool(s, 'auto_sign_up', true),
    syncTtlMs: r.int(s, 'sync_ttl', 60, { min: 0 }) * 60_000,
    whitelist,
    headers,
    headersEncoded: r.bool(s, 'headers_encoded', false),
    enableLoginToken: r.bool(s, 'enable_login_token', false)
  }
}

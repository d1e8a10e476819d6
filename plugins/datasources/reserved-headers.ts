// The headers no data source may send (CVE-2022-35957 and its family): every header the auth
// proxy reads as an identity assertion. One definition for the save-time refusal and the proxy's
// strip, so both follow the running config: a data source saved before the auth proxy was set up
// is refused nothing at save time, but its headers are stripped on every request afterwards.
import type { AuthProxyConfig } from '../../config/auth-proxy.js'

/** Lower-case names: header_name and every header of `headers =`, whether or not the auth proxy is enabled. */
export function authProxyHeaders (cfg: Pick<AuthProxyConfig, 'headerName' | 'headers'>): Set<string> {
  return new Set([cfg.headerName, ...Object.values(cfg.headers)].map(h => h.toLowerCase()))
}

/** The first jsonData.httpHeaderNameN (as written) that names a reserved header, if any. */
export function reservedHeader (jsonData: Record<string, unknown>, reserved: Set<string>): string | undefined {
  for (const [k, v] of Object.entries(jsonData)) {
    if (/^httpHeaderName\d+$/.test(k) && typeof v === 'string' && reserved.has(v.trim().toLowerCase())) return v.trim()
  }
  return undefined
}

/** A Cookie header value without the login cookie (and its _expiry twin): a session token is the caller's credential. */
export function withoutLoginCookie (cookie: string, loginCookie: string): string {
  return cookie.split(';').map(p => p.trim()).filter(p => {
    const name = p.slice(0, Math.max(p.indexOf('='), 0)) || p
    return p !== '' && name !== loginCookie && !name.startsWith(`${loginCookie}_`)
  }).join('; ')
}

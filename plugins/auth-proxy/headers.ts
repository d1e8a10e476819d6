// Reads and validates what the proxy asserts: the user header and the optional synced headers.
import { decode as decodeQp } from 'libqp'
import type { AuthRequest } from '../auth/provider.js'
import type { AuthProxyConfig } from '../../config/auth-proxy.js'
import { ORG_ROLES, type OrgRole } from '../../config/settings.js'

export interface ProxyClaims {
  user: string
  name?: string
  email?: string
  login?: string
  role?: OrgRole
  /** undefined: no Groups header configured/sent (team sync untouched). */
  groups?: string[]
}

export class ProxyHeaderError extends Error {}

// eslint-disable-next-line no-control-regex -- refusing control characters in header values is the point
const CONTROL = /[\u0000-\u001f\u007f]/
const LIMIT: Record<string, number> = { user: 190, name: 255, email: 190, login: 190, groups: 4096 }

function raw (request: AuthRequest, header: string): string | undefined {
  const v = request.headers[header]
  return (Array.isArray(v) ? v[0] : v)?.trim()
}

// Grafana decodes every proxy header when headers_encoded is on; an undecodable value is kept as sent.
function decoded (value: string, encoded: boolean): string {
  if (!encoded || !value.includes('=')) return value
  try {
    return decodeQp(value).toString('utf8')
  } catch {
    return value
  }
}

function checked (what: string, value: string): string {
  if (CONTROL.test(value)) throw new ProxyHeaderError(`auth proxy header for ${what} contains control characters`)
  if (value.length > LIMIT[what]!) throw new ProxyHeaderError(`auth proxy header for ${what} is longer than ${LIMIT[what]} characters`)
  return value
}

export function hasProxyHeader (request: AuthRequest, cfg: AuthProxyConfig): boolean {
  return (raw(request, cfg.headerName) ?? '') !== ''
}

export function readClaims (request: AuthRequest, cfg: AuthProxyConfig): ProxyClaims {
  const get = (header: string | undefined) => {
    if (header === undefined) return undefined
    const v = raw(request, header)
    return v === undefined || v === '' ? undefined : decoded(v, cfg.headersEncoded).trim()
  }
  const user = checked('user', get(cfg.headerName) ?? '')
  if (user === '') throw new ProxyHeaderError('auth proxy header is empty')
  const claims: ProxyClaims = { user }
  const h = cfg.headers
  const name = get(h.Name)
  const email = get(h.Email)
  const login = get(h.Login)
  const role = get(h.Role)
  if (name !== undefined) claims.name = checked('name', name)
  if (email !== undefined) claims.email = checked('email', email)
  if (login !== undefined) claims.login = checked('login', login)
  if (role !== undefined) {
    const match = ORG_ROLES.find(r => r.toLowerCase() === role.toLowerCase())
    if (match === undefined) throw new ProxyHeaderError(`auth proxy role "${role.slice(0, 40)}" is invalid: use one of ${ORG_ROLES.join(', ')}`)
    claims.role = match
  }
  if (h.Groups !== undefined) {
    const groups = get(h.Groups)
    claims.groups = groups === undefined ? [] : checked('groups', groups).split(/[\s,]+/).filter(g => g !== '')
  }
  return claims
}

/** Everything synced from the headers: a change in any of it must re-sync. */
export function claimsKey (c: ProxyClaims): string {
  return JSON.stringify([c.user, c.name ?? null, c.email ?? null, c.login ?? null, c.role ?? null, c.groups ?? null])
}

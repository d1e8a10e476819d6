// Grafana's CSRF rule for cookie-authenticated requests: the Origin's host must be the request's
// host, a trusted origin, or the value of a trusted header (e.g. X-Forwarded-Host).
export type CsrfVerdict = 'allow' | 'deny' | 'bad-host'

const SAFE_METHODS = new Set(['HEAD', 'OPTIONS', 'TRACE'])

export interface CsrfInput {
  method: string
  hasLoginCookie: boolean
  origin: string | undefined
  host: string | undefined
  header: (name: string) => string | undefined
}

export interface CsrfPolicy {
  trustedOrigins: Set<string>
  additionalHeaders: string[]
}

export function hostnameOf (hostHeader: string): string | undefined {
  try {
    const u = new URL(`http://${hostHeader}`)
    return u.host === '' ? undefined : u.hostname
  } catch {
    return undefined
  }
}

export function originHostname (origin: string): string | undefined {
  try {
    const u = new URL(origin)
    return u.hostname === '' ? undefined : u.hostname
  } catch {
    return undefined
  }
}

/** Trusted-origin entries may be given as host names or as full origins. */
export function trustedOriginSet (entries: string[]): Set<string> {
  return new Set(entries.map(e => (e.includes('://') ? originHostname(e) : hostnameOf(e)) ?? e.toLowerCase()))
}

export function checkCsrf (input: CsrfInput, policy: CsrfPolicy): CsrfVerdict {
  if (!input.hasLoginCookie || SAFE_METHODS.has(input.method)) return 'allow'
  if (input.origin === undefined || input.origin === '') return 'allow'
  const host = input.host === undefined ? undefined : hostnameOf(input.host)
  if (input.host !== undefined && input.host !== '' && host === undefined) return 'bad-host'
  const origin = originHostname(input.origin)
  if (origin === undefined) return 'deny'
  if (host !== undefined && origin === host) return 'allow'
  if (policy.trustedOrigins.has(origin)) return 'allow'
  for (const name of policy.additionalHeaders) {
    const v = input.header(name)
    if (v !== undefined && v !== '' && hostnameOf(v) === origin) return 'allow'
  }
  return 'deny'
}

// Grafana's CSRF rule for cookie-authenticated requests: the Origin's host must be the request's
// host, a trusted origin, or the value of a trusted header (e.g. X-Forwarded-Host). Beside its
// CORS and Live siblings: the origin policy combines the three.
import type { OriginVerdict } from './rules.js'

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

const verdict = (allowed: boolean, rule: OriginVerdict['rule']): OriginVerdict => ({ allowed, rule })

/** `csrf-bad-host` is a 400 (Grafana's), every other refusal a 403. */
export function checkCsrf (input: CsrfInput, policy: CsrfPolicy): OriginVerdict {
  if (!input.hasLoginCookie) return verdict(true, 'csrf-no-login-cookie')
  if (SAFE_METHODS.has(input.method)) return verdict(true, 'csrf-safe-method')
  if (input.origin === undefined || input.origin === '') return verdict(true, 'no-origin')
  const host = input.host === undefined ? undefined : hostnameOf(input.host)
  if (input.host !== undefined && input.host !== '' && host === undefined) return verdict(false, 'csrf-bad-host')
  const origin = originHostname(input.origin)
  if (origin === undefined) return verdict(false, 'csrf-origin-mismatch')
  if (host !== undefined && origin === host) return verdict(true, 'same-host')
  if (policy.trustedOrigins.has(origin)) return verdict(true, 'csrf-trusted-origin')
  for (const name of policy.additionalHeaders) {
    const v = input.header(name)
    if (v !== undefined && v !== '' && hostnameOf(v) === origin) return verdict(true, 'csrf-trusted-header')
  }
  return verdict(false, 'csrf-origin-mismatch')
}

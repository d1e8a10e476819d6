// Authorization header parsing shared by the basic and API-key providers.
export interface BasicCredentials { username: string, password: string }

/** Like Go's Request.BasicAuth: case-insensitive scheme, standard base64, split at the first colon. */
export function parseBasic (header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined
  const b64 = header.slice(6).trim()
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined
  const decoded = Buffer.from(b64, 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  if (i < 0) return undefined
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) }
}

/**
 * Basic auth with the user name `api_key` carries an API key as its password (Grafana's second
 * form): it is the API-key method's alone, never a password login for a user called `api_key`.
 */
export const API_KEY_USERNAME = 'api_key'

export function parseBearer (header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined
  const token = header.slice(7).trim()
  return token === '' ? undefined : token
}

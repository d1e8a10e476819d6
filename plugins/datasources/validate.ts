// Checks on a data source before it is saved: URL (Grafana's validateURL), uid shape, reserved headers.
import { randomBytes } from 'node:crypto'

// Types whose plugins cannot work without a URL (Grafana's requiredURL list).
const URL_REQUIRED = new Set(['mysql', 'postgres', 'grafana-postgresql-datasource', 'mssql'])
export const UID_PATTERN = '^[a-zA-Z0-9_-]{1,40}$'
const UID = new RegExp(UID_PATTERN)
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Grafana accepts a URL without a scheme ("127.0.01:5432") by reading it as http://. */
export function validUrl (type: string, url: string): boolean {
  if (url === '') return !URL_REQUIRED.has(type)
  if (type === 'mssql') return /^[^:\\]+(\\[^:]+)?(:\d+)?$/.test(url) || /^[^:]*:\/\//.test(url)
  const withScheme = /^[^:]*:\/\//.test(url) ? url : `http://${url}`
  try {
    new URL(withScheme) // eslint-disable-line no-new
    return true
  } catch {
    return false
  }
}

export const isValidUid = (uid: string) => UID.test(uid)

/** 14 characters, starting with a letter, like Grafana's short UIDs. */
export function generateUid (): string {
  const bytes = randomBytes(14)
  let out = ALPHABET[bytes[0]! % 52]!
  for (let i = 1; i < 14; i++) out += ALPHABET[bytes[i]! % 62]!
  return out
}

/** The jsonData.httpHeaderNameN that equals the auth-proxy header (CVE-2022-35957), if any. */
export function reservedHeader (jsonData: Record<string, unknown>, authProxyHeader: string): string | undefined {
  for (const [k, v] of Object.entries(jsonData)) {
    if (/^httpHeaderName\d+$/.test(k) && typeof v === 'string' && v.trim().toLowerCase() === authProxyHeader) return v
  }
  return undefined
}

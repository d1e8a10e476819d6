// Checks on a data source before it is saved: URL (Grafana's validateURL), uid shape (reserved headers:
// reserved-headers.ts); and the one parsing of ids and uids in paths, for the data-source routes and the proxy.
import { randomBytes } from 'node:crypto'
import { ERR_DS_ID_INVALID, ERR_DS_UID_INVALID } from '../errors/codes.js'

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

/** An id as it arrives in a path: decimal digits within PostgreSQL's integer, else Grafana's "id is invalid". */
export function parseDataSourceId (text: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2147483647) throw new ERR_DS_ID_INVALID()
  return Number(text)
}

/** The data source a proxy path names, by id or uid; a malformed one is a 400 before any lookup. */
export function parseDataSourceRef (ref: { id: string } | { uid: string }): { id: number } | { uid: string } {
  if ('id' in ref) return { id: parseDataSourceId(ref.id) }
  if (!isValidUid(ref.uid)) throw new ERR_DS_UID_INVALID()
  return { uid: ref.uid }
}

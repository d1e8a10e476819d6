// Key formats users already have: Grafana's legacy API key (base64 of {"k","n","id"}) and the
// service-account token glsa_<32 alphanumerics>_<crc32 of "glsa_<secret>", little-endian hex>.
import * as nodeCrypto from 'node:crypto'
import { createHash, randomInt } from 'node:crypto'
import { crc32 } from 'node:zlib'

const ALPHANUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function randomSecret (length = 32): string {
  let s = ''
  for (let i = 0; i < length; i++) s += ALPHANUM[randomInt(ALPHANUM.length)]
  return s
}

// crypto.hash (Node ≥ 20.12) is about 5× cheaper than createHash for a short secret, and every
// API-key request hashes one; engines allows 20.11, which lacks it.
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash

/** What the database stores for a secret. */
export function hashSecret (secret: string): string {
  return oneShot !== undefined ? oneShot('sha256', secret, 'hex') : createHash('sha256').update(secret).digest('hex')
}

export interface LegacyKey { secret: string, name: string, orgId: number }

export function encodeLegacyKey (k: LegacyKey): string {
  // Field order k, n, id as Grafana marshals it, so keys look the same.
  return Buffer.from(JSON.stringify({ k: k.secret, n: k.name, id: k.orgId })).toString('base64')
}

export function decodeLegacyKey (key: string): LegacyKey | undefined {
  if (key.length > 2048 || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(key, 'base64').toString('utf8'))
  } catch {
    return undefined
  }
  const p = parsed as { k?: unknown, n?: unknown, id?: unknown }
  if (typeof p.k !== 'string' || p.k === '' || typeof p.n !== 'string' || !Number.isSafeInteger(p.id)) return undefined
  return { secret: p.k, name: p.n, orgId: p.id as number }
}

function checksum (body: string): string {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(crc32(body))
  return b.toString('hex')
}

export function encodeServiceAccountToken (secret: string): string {
  return `glsa_${secret}_${checksum(`glsa_${secret}`)}`
}

/** The secret of a well-formed glsa_ token, or undefined (checked before any database work). */
export function decodeServiceAccountToken (token: string): string | undefined {
  const m = /^glsa_([A-Za-z0-9]{32})_([0-9a-f]{8})$/.exec(token)
  if (m === null || checksum(`glsa_${m[1]}`) !== m[2]) return undefined
  return m[1]
}

// Basic auth (Authorization: Basic), by login or email. Verified credentials are remembered briefly
// (keyed by an HMAC under a per-process key) so scripts polling with basic auth do not pay scrypt per request.
import { createHmac, randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import { ERR_INVALID_CREDENTIALS } from '../errors/codes.js'
import { API_KEY_USERNAME, parseBasic } from './basic-header.js'
import type { PasswordLogin } from './password-login.js'
import { resolveUser, type AuthProvider } from './provider.js'

const CACHE_TTL_MS = 60_000

export function basicProvider (db: Kysely<Database>, passwords: PasswordLogin): AuthProvider {
  const processKey = randomBytes(32)
  // value: the user id and the password hash it was verified against; a changed hash is a miss.
  const verified = new LRUCache<string, { userId: number, hash: string }>({ max: 10_000, ttl: CACHE_TTL_MS })

  return {
    name: 'basic',
    test: request => {
      const creds = parseBasic(request.headers.authorization)
      return creds !== undefined && creds.username !== API_KEY_USERNAME
    },
    async authenticate (request) {
      const creds = parseBasic(request.headers.authorization)!
      const cacheKey = createHmac('sha256', processKey).update(creds.username).update('\0').update(creds.password).digest('base64')
      const hit = verified.get(cacheKey)
      if (hit !== undefined) {
        const { identity, loaded } = await resolveUser(db, request, hit.userId, 'basic')
        if (loaded.user.password === hit.hash) return identity
        verified.delete(cacheKey)
        throw new ERR_INVALID_CREDENTIALS()
      }
      const user = await passwords.login(creds.username, creds.password, request.ip)
      verified.set(cacheKey, { userId: user.id, hash: user.password! })
      return (await resolveUser(db, request, user.id, 'basic')).identity
    }
  }
}

// Basic auth (Authorization: Basic), by login or email, as fast as an API key once verified.
// Two caches, both keyed by an HMAC of the raw header under a per-process key, so neither outlives
// the header in memory (the HMAC itself is remembered per raw header for IDENTITY_TTL_MS only):
//   - the verified identity (user, org, role, flags) for IDENTITY_TTL_MS: a hit costs no database
//     round trip, no scrypt and no brute-force bookkeeping;
//   - the password check for VERIFIED_TTL_MS, tied to the password hash it passed against: when the
//     identity expires it is re-read in one query, and scrypt runs again only after this window.
// forget() drops a user's or an org's entries at once (password, role, membership or org changed;
// see plugins/auth.ts); changes made elsewhere (another instance) are seen within IDENTITY_TTL_MS.
import { createHmac, randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { AccountChange } from '../accounts/service.js'
import { SingleFlightCache } from '../cache/single-flight.js'
import { ERR_INVALID_CREDENTIALS } from '../errors/codes.js'
import { API_KEY_USERNAME, parseBasic } from './basic-header.js'
import type { Identity } from './identity.js'
import { requestedOrgId } from './org-request.js'
import type { PasswordLogin } from './password-login.js'
import { resolveUser, type AuthProvider, type AuthRequest } from './provider.js'

// The same window as API keys (plugins/api-keys/service.ts): revocation on another instance.
export const IDENTITY_TTL_MS = 5_000
const VERIFIED_TTL_MS = 60_000

export interface BasicProvider extends AuthProvider {
  forget: (change: AccountChange) => void
}

export function basicProvider (db: Kysely<Database>, passwords: PasswordLogin): BasicProvider {
  const processKey = randomBytes(32)
  const verified = new LRUCache<string, { userId: number, hash: string }>({ max: 10_000, ttl: VERIFIED_TTL_MS })
  const identities = new SingleFlightCache<Identity>({ max: 10_000, ttl: IDENTITY_TTL_MS })

  // A client repeats its header: its HMAC (~5% of a cached request's CPU) is remembered for the
  // identity's window, and no longer, so a password is not held in memory past it.
  const hmacs = new LRUCache<string, string>({ max: 10_000, ttl: IDENTITY_TTL_MS })
  // The identity depends on the org asked for, so that is part of its key.
  const keysOf = (request: AuthRequest): { verifiedKey: string, identityKey: string } => {
    const header = request.headers.authorization!
    let verifiedKey = hmacs.get(header)
    if (verifiedKey === undefined) {
      verifiedKey = createHmac('sha256', processKey).update(header).digest('base64')
      hmacs.set(header, verifiedKey)
    }
    return { verifiedKey, identityKey: `${verifiedKey}/${requestedOrgId(request) ?? ''}` }
  }

  async function load (request: AuthRequest, verifiedKey: string): Promise<Identity> {
    const hit = verified.get(verifiedKey)
    if (hit !== undefined) {
      const { identity, loaded } = await resolveUser(db, request, hit.userId, 'basic')
      if (loaded.user.password === hit.hash) return identity
      verified.delete(verifiedKey)
      throw new ERR_INVALID_CREDENTIALS()
    }
    const creds = parseBasic(request.headers.authorization)!
    const user = await passwords.login(creds.username, creds.password, request.ip)
    verified.set(verifiedKey, { userId: user.id, hash: user.password! })
    return (await resolveUser(db, request, user.id, 'basic')).identity
  }

  return {
    name: 'basic',
    test: request => {
      if (request.headers.authorization !== undefined && hmacs.has(request.headers.authorization)) return true
      const creds = parseBasic(request.headers.authorization)
      return creds !== undefined && creds.username !== API_KEY_USERNAME
    },
    async authenticate (request) {
      const { verifiedKey, identityKey } = keysOf(request)
      const identity = await identities.get(identityKey, () => load(request, verifiedKey))
      // A copy: the cached object is shared by every request presenting the same header.
      return { ...identity! }
    },
    forget (change) {
      if ('userId' in change) {
        identities.invalidateWhere(i => i.userId === change.userId)
        for (const [key, v] of verified.entries()) if (v.userId === change.userId) verified.delete(key)
      } else {
        identities.invalidateWhere(i => i.orgId === change.orgId)
      }
    }
  }
}

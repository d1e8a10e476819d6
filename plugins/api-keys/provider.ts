// Authentication by API key or service-account token: `Authorization: Bearer <key>`, or basic
// auth with the user name `api_key` and the key as password (Grafana's two forms).
import type { Identity } from '../auth/identity.js'
import type { AuthProvider, AuthRequest } from '../auth/provider.js'
import { requestedOrgId } from '../auth/org-request.js'
import { API_KEY_USERNAME, parseBasic, parseBearer } from '../auth/basic-header.js'
import {
  ERR_API_KEY_ORG_MISMATCH, ERR_EXPIRED_API_KEY, ERR_INVALID_API_KEY, ERR_REVOKED_API_KEY, ERR_SERVICE_ACCOUNT_DISABLED
} from '../errors/codes.js'
import { LRUCache } from 'lru-cache'
import { decodeLegacyKey, decodeServiceAccountToken, hashSecret, type LegacyKey } from './format.js'
import type { ApiKeys } from './service.js'

function presentedKey (header: string | undefined): string | undefined {
  const bearer = parseBearer(header)
  if (bearer !== undefined) return bearer
  const basic = parseBasic(header)
  // An empty key is still this method's (a 401 Invalid API key), not a password login.
  return basic?.username === API_KEY_USERNAME ? basic.password : undefined
}

/** What an Authorization header decodes to: a pure function of the header, so it is worth remembering. */
interface Presented {
  isToken: boolean
  legacy: LegacyKey | undefined
  /** hashSecret of the key's secret; undefined for a malformed key or a bad checksum. */
  hash: string | undefined
}

function decode (header: string | undefined): Presented | false {
  const presented = presentedKey(header)
  if (presented === undefined) return false
  const isToken = presented.startsWith('glsa_')
  const legacy = isToken ? undefined : decodeLegacyKey(presented)
  const secret = isToken ? decodeServiceAccountToken(presented) : legacy?.secret
  return { isToken, legacy, hash: secret === undefined ? undefined : hashSecret(secret) }
}

export function apiKeyProvider (keys: ApiKeys): AuthProvider {
  // Keyed by the raw header: a client repeating its key skips the base64/JSON decoding and the
  // hash. Only the decoding is remembered; the key itself is still resolved (and checked for
  // expiry, revocation, org and a disabled service account) on every request.
  const decoded = new LRUCache<string, Presented | false>({ max: 10_000 })
  const presented = (request: AuthRequest): Presented | false => {
    const header = request.headers.authorization
    if (header === undefined) return false
    let hit = decoded.get(header)
    if (hit === undefined) {
      hit = decode(header)
      if (header.length <= 4096) decoded.set(header, hit)
    }
    return hit
  }
  return {
    name: 'api-key',
    test: request => presented(request) !== false,
    async authenticate (request): Promise<Identity> {
      const { isToken, legacy, hash } = presented(request) as Presented
      // Malformed keys and bad checksums are refused before any database work.
      if (hash === undefined) throw new ERR_INVALID_API_KEY()
      const key = await keys.resolve(hash)
      if (key === undefined) throw new ERR_INVALID_API_KEY()
      // A legacy key names its org and itself: both must agree with what was stored.
      if (legacy !== undefined && (legacy.name !== key.name || legacy.orgId !== key.orgId || key.serviceAccount !== null)) throw new ERR_INVALID_API_KEY()
      if (isToken && key.serviceAccount === null) throw new ERR_INVALID_API_KEY()
      if (key.expires !== null && key.expires <= Date.now()) throw new ERR_EXPIRED_API_KEY()
      if (key.revoked) throw new ERR_REVOKED_API_KEY()
      const wanted = requestedOrgId(request)
      if (wanted !== undefined && wanted !== key.orgId) throw new ERR_API_KEY_ORG_MISMATCH()
      if (key.serviceAccount?.disabled === true) throw new ERR_SERVICE_ACCOUNT_DISABLED()
      keys.noteUsed(key.id)
      const sa = key.serviceAccount
      return {
        kind: sa === null ? 'api-key' : 'service-account',
        authenticatedBy: sa === null ? 'api-key' : 'service-account',
        userId: sa?.id ?? null,
        login: sa?.login ?? `api_key:${key.name}`,
        email: '',
        name: sa?.name ?? key.name,
        orgId: key.orgId,
        orgName: key.orgName,
        orgRole: key.role,
        isGrafanaAdmin: false,
        apiKeyId: key.id
      }
    }
  }
}

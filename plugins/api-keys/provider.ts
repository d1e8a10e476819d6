// Authentication by API key or service-account token: `Authorization: Bearer <key>`, or basic
// auth with the user name `api_key` and the key as password (Grafana's two forms).
import type { FastifyRequest } from 'fastify'
import type { Identity } from '../auth/identity.js'
import type { AuthProvider } from '../auth/provider.js'
import { requestedOrgId } from '../auth/org-request.js'
import { API_KEY_USERNAME, parseBasic, parseBearer } from '../auth/basic-header.js'
import {
  ERR_API_KEY_ORG_MISMATCH, ERR_EXPIRED_API_KEY, ERR_INVALID_API_KEY, ERR_REVOKED_API_KEY, ERR_SERVICE_ACCOUNT_DISABLED
} from '../errors/codes.js'
import { decodeLegacyKey, decodeServiceAccountToken, hashSecret } from './format.js'
import type { ApiKeys } from './service.js'

function presentedKey (request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const bearer = parseBearer(header)
  if (bearer !== undefined) return bearer
  const basic = parseBasic(header)
  // An empty key is still this method's (a 401 Invalid API key), not a password login.
  return basic?.username === API_KEY_USERNAME ? basic.password : undefined
}

export function apiKeyProvider (keys: ApiKeys): AuthProvider {
  return {
    name: 'api-key',
    test: request => presentedKey(request) !== undefined,
    async authenticate (request): Promise<Identity> {
      const presented = presentedKey(request)!
      const isToken = presented.startsWith('glsa_')
      // Malformed keys and bad checksums are refused before any database work.
      const legacy = isToken ? undefined : decodeLegacyKey(presented)
      const secret = isToken ? decodeServiceAccountToken(presented) : legacy?.secret
      if (secret === undefined) throw new ERR_INVALID_API_KEY()
      const key = await keys.resolve(hashSecret(secret))
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

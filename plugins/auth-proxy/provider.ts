// The auth proxy method: a trusted reverse proxy names the user in a header. Only the TCP peer
// address is checked against the whitelist — X-Forwarded-For is the client's to forge.
import { LRUCache } from 'lru-cache'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger, FastifyError } from 'fastify'
import type { Counter } from 'prom-client'
import type { Database } from '../db/tables.js'
import type { Sessions } from '../sessions/service.js'
import type { Teams } from '../teams/service.js'
import { ERR_PROXY_BAD_HEADER, ERR_PROXY_NOT_ALLOWED } from '../errors/codes.js'
import { resolveUser, type AuthProvider } from '../auth/provider.js'
import { isAllowed } from './whitelist.js'
import { claimsKey, hasProxyHeader, ProxyHeaderError, readClaims, type ProxyClaims } from './headers.js'
import { syncUser, type SyncDeps } from './sync.js'

export interface ProxyProviderDeps extends SyncDeps {
  db: Kysely<Database>
  sessions: Sessions
  /** Team sync, when a Groups header is configured. */
  teams?: Teams
  log: FastifyBaseLogger
  loginPath: string
  syncs?: Counter<string>
}

export function authProxyProvider (d: ProxyProviderDeps): AuthProvider {
  const cfg = d.proxy
  // claims (header values) → user id: within sync_ttl the same claims skip the sign-up/sync work.
  const synced = cfg.syncTtlMs > 0 ? new LRUCache<string, number>({ max: 10_000, ttl: cfg.syncTtlMs }) : undefined

  return {
    name: 'auth-proxy',
    test: request => hasProxyHeader(request, cfg),
    async authenticate (request, reply) {
      const peer = request.socket.remoteAddress
      if (!isAllowed(cfg.whitelist, peer)) {
        d.log.warn({ remote_addr: peer, whitelist: cfg.whitelist.entries.join(',') }, 'Request for user is not from the authentication proxy')
        throw new ERR_PROXY_NOT_ALLOWED(peer ?? 'unknown')
      }
      let claims: ProxyClaims
      try {
        claims = readClaims(request, cfg)
      } catch (err) {
        if (err instanceof ProxyHeaderError) throw new ERR_PROXY_BAD_HEADER(err.message)
        throw err
      }
      const key = claimsKey(claims)
      const cachedId = synced?.get(key)
      let identity
      if (cachedId !== undefined) {
        try {
          identity = (await resolveUser(d.db, request, cachedId, 'auth-proxy')).identity
        } catch (err) {
          if ((err as FastifyError).statusCode !== 401 || (err as FastifyError).code !== 'GH_ERR_UNAUTHORIZED') throw err
          synced!.delete(key) // the cached user is gone: sync again
        }
      }
      if (identity === undefined) {
        const user = await syncUser(d, claims)
        if (claims.groups !== undefined && d.teams !== undefined) {
          const { added, removed } = await d.teams.syncGroups(user.id, claims.groups)
          if (added.length + removed.length > 0) d.log.info({ user: user.login, added: added.join(','), removed: removed.join(',') }, 'Team sync')
        }
        d.syncs?.inc()
        identity = (await resolveUser(d.db, request, user.id, 'auth-proxy')).identity
        synced?.set(key, user.id)
      }
      if (cfg.enableLoginToken && request.url.split('?')[0] === d.loginPath && identity.userId !== null) {
        const { token, row } = await d.sessions.create(identity.userId, request.headers['user-agent'] ?? '', request.ip)
        reply.setSessionCookie(token)
        identity.sessionId = row.id
      }
      return identity
    }
  }
}

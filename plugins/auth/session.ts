// Session cookie (grafana_session): looks the token up, rotates it when due, burns a bad cookie.
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { Sessions } from '../sessions/service.js'
import { ERR_UNAUTHORIZED } from '../errors/codes.js'
import { resolveUser, type AuthProvider } from './provider.js'

export function sessionProvider (db: Kysely<Database>, sessions: Sessions, cookieName: string): AuthProvider {
  return {
    name: 'session',
    test: request => (request.cookies[cookieName] ?? '') !== '',
    async authenticate (request, reply) {
      const found = await sessions.lookup(request.cookies[cookieName]!)
      if (found === undefined) {
        reply.clearSessionCookie()
        throw new ERR_UNAUTHORIZED()
      }
      const { identity } = await resolveUser(db, request, found.row.user_id, 'session')
      identity.sessionId = found.row.id
      if (found.rotate) {
        const token = await sessions.rotate(found.row)
        if (token !== undefined) reply.setSessionCookie(token)
      }
      return identity
    }
  }
}

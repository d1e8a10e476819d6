// The shape every authentication method has, and the shared user-resolution step.
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import { ERR_NOT_ORG_MEMBER, ERR_UNAUTHORIZED, ERR_USER_DISABLED } from '../errors/codes.js'
import { loadUser, userIdentity, type AuthMethod, type Identity, type LoadedUser } from './identity.js'
import { requestedOrgId } from './org-request.js'

/**
 * What authentication reads of a request. A FastifyRequest is one; so is what the data-source
 * proxy's early path (plugins/datasource-proxy/early.ts) builds from the raw request.
 */
export type AuthRequest = Pick<FastifyRequest, 'headers' | 'query' | 'ip' | 'url' | 'socket' | 'cookies'>

/** What authentication may write to the answer: the session cookie (a FastifyReply is one). */
export interface SessionCookieWriter {
  setSessionCookie: (token: string) => unknown
  clearSessionCookie: () => unknown
}

export interface AuthProvider {
  name: AuthMethod
  /** Does the request carry this method's credentials? (Grafana's client Test.) */
  test: (request: AuthRequest) => boolean
  /** The identity, or throws the error to answer with if no later method succeeds. */
  authenticate: (request: AuthRequest, reply: SessionCookieWriter) => Promise<Identity>
}

/**
 * A signed-in user in the org the request asks for. Asking for an org the user is not a member
 * of is refused outright (403), rather than Grafana's "Org missing" half-identity.
 */
export async function resolveUser (
  db: Kysely<Database>, request: AuthRequest, userId: number, by: AuthMethod
): Promise<{ identity: Identity, loaded: LoadedUser }> {
  const wanted = requestedOrgId(request)
  const loaded = await loadUser(db, userId, wanted)
  if (loaded === undefined) throw new ERR_UNAUTHORIZED()
  if (loaded.user.is_disabled) throw new ERR_USER_DISABLED()
  if (wanted !== undefined && loaded.role === undefined) throw new ERR_NOT_ORG_MEMBER(wanted)
  return { identity: userIdentity(loaded, by), loaded }
}

// The shape every authentication method has, and the shared user-resolution step.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import { ERR_NOT_ORG_MEMBER, ERR_UNAUTHORIZED, ERR_USER_DISABLED } from '../errors/codes.js'
import { loadUser, userIdentity, type AuthMethod, type Identity, type LoadedUser } from './identity.js'
import { requestedOrgId } from './org-request.js'

export interface AuthProvider {
  name: AuthMethod
  /** Does the request carry this method's credentials? (Grafana's client Test.) */
  test: (request: FastifyRequest) => boolean
  /** The identity, or throws the error to answer with if no later method succeeds. */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<Identity>
}

/**
 * A signed-in user in the org the request asks for. Asking for an org the user is not a member
 * of is refused outright (403), rather than Grafana's "Org missing" half-identity.
 */
export async function resolveUser (
  db: Kysely<Database>, request: FastifyRequest, userId: number, by: AuthMethod
): Promise<{ identity: Identity, loaded: LoadedUser }> {
  const wanted = requestedOrgId(request)
  const loaded = await loadUser(db, userId, wanted)
  if (loaded === undefined) throw new ERR_UNAUTHORIZED()
  if (loaded.user.is_disabled) throw new ERR_USER_DISABLED()
  if (wanted !== undefined && loaded.role === undefined) throw new ERR_NOT_ORG_MEMBER(wanted)
  return { identity: userIdentity(loaded, by), loaded }
}

// The signed-in user: /api/user, their orgs, switching org, changing password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, IdParamsSchema, MessageSchema } from '../../schemas/common.js'
import { ChangePasswordBodySchema, UserOrgSchema, UserProfileSchema } from '../../schemas/user.js'
import { userProfile } from '../../plugins/accounts/present.js'
import { ERR_PERMISSION_DENIED } from '../../plugins/errors/codes.js'
import type { Identity } from '../../plugins/auth/identity.js'

/** These endpoints are about a person: API keys have no user behind them. */
function userIdOf (identity: Identity | null): number {
  if (identity?.kind !== 'user' || identity.userId === null) throw new ERR_PERMISSION_DENIED()
  return identity.userId
}

const user: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl

  app.get('/api/user', { schema: { response: { 200: UserProfileSchema, ...ErrorResponses } } }, async (request) => {
    const u = await app.accounts.getUserOrThrow(userIdOf(request.identity))
    return userProfile(u, sub, request.identity!.orgId)
  })

  app.get('/api/user/orgs', { schema: { response: { 200: Type.Array(UserOrgSchema), ...ErrorResponses } } }, async (request) =>
    app.accounts.userOrgs(userIdOf(request.identity)))

  app.post('/api/user/using/:id', {
    schema: { params: IdParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.accounts.switchOrg(userIdOf(request.identity), request.params.id)
    return { message: 'Active organization changed' }
  })

  app.put('/api/user/password', {
    schema: { body: ChangePasswordBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    const id = userIdOf(request.identity)
    await app.accounts.changePassword(id, request.body.oldPassword, request.body.newPassword)
    // Other sessions of this user end with the old password; this one stays signed in.
    await app.sessions.revokeAllForUser(id, request.identity!.sessionId)
    return { message: 'User password changed' }
  })
}

export default user

// Server-admin user listing and lookup (/api/users…).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, IdParamsSchema, PagingQuerySchema } from '../../schemas/common.js'
import { UserOrgSchema, UserProfileSchema, UserSearchHitSchema, UserSearchResultSchema } from '../../schemas/user.js'
import { userProfile, userSearchHit } from '../../plugins/accounts/present.js'
import { ERR_PERMISSION_DENIED, ERR_USER_NOT_FOUND } from '../../plugins/errors/codes.js'

const users: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl

  app.get('/api/users', {
    config: { serverAdmin: true },
    schema: { querystring: PagingQuerySchema, response: { 200: Type.Array(UserSearchHitSchema), ...ErrorResponses } }
  }, async (request) => {
    const { query = '', page, perpage } = request.query
    const { users } = await app.accounts.searchUsers(query, page, perpage)
    return users.map(u => userSearchHit(u, sub))
  })

  app.get('/api/users/search', {
    config: { serverAdmin: true },
    schema: { querystring: PagingQuerySchema, response: { 200: UserSearchResultSchema, ...ErrorResponses } }
  }, async (request) => {
    const { query = '', page, perpage } = request.query
    const { total, users } = await app.accounts.searchUsers(query, page, perpage)
    return { totalCount: total, users: users.map(u => userSearchHit(u, sub)), page, perPage: perpage }
  })

  app.get('/api/users/lookup', {
    config: { serverAdmin: true },
    schema: {
      querystring: Type.Object({ loginOrEmail: Type.String({ minLength: 1, maxLength: 190 }) }),
      response: { 200: UserProfileSchema, ...ErrorResponses }
    }
  }, async (request) => {
    const u = await app.accounts.findByLoginOrEmail(request.query.loginOrEmail)
    if (u === undefined || u.is_service_account) throw new ERR_USER_NOT_FOUND()
    return userProfile(u, sub)
  })

  // A user may read their own record; anyone else's needs a server admin.
  app.get('/api/users/:id', {
    schema: { params: IdParamsSchema, response: { 200: UserProfileSchema, ...ErrorResponses } }
  }, async (request) => {
    const me = request.identity!
    if (!me.isGrafanaAdmin && me.userId !== request.params.id) throw new ERR_PERMISSION_DENIED()
    return userProfile(await app.accounts.getUserOrThrow(request.params.id), sub)
  })

  app.get('/api/users/:id/orgs', {
    config: { serverAdmin: true },
    schema: { params: IdParamsSchema, response: { 200: Type.Array(UserOrgSchema), ...ErrorResponses } }
  }, async (request) => {
    await app.accounts.getUserOrThrow(request.params.id)
    return app.accounts.userOrgs(request.params.id)
  })
}

export default users

// Org membership endpoints, mounted twice: /api/org/users (current org, org Admin) and
// /api/orgs/:id/users (any org, server admin). Same shapes and messages in both places.
import type { FastifyContextConfig, FastifyRequest } from 'fastify'
import type { FastifyInstanceTypebox } from './typebox.js'
import { Type } from 'typebox'
import { ErrorResponses, MessageSchema, IdSchema } from '../../schemas/common.js'
import { AddOrgUserBodySchema, AddOrgUserResponseSchema, OrgUserSchema, UpdateOrgUserBodySchema } from '../../schemas/org.js'
import { orgUser } from '../../plugins/accounts/present.js'

const UserIdParam = { userId: IdSchema }

export interface MemberRoutes {
  /** '/api/org/users' or '/api/orgs/:id/users' */
  path: string
  params: Record<string, ReturnType<typeof Type.Integer>>
  orgIdOf: (request: FastifyRequest) => number
  guard: FastifyContextConfig
}

export function registerMemberRoutes (app: FastifyInstanceTypebox, r: MemberRoutes): void {
  const sub = app.config.server.appSubUrl
  const params = Type.Object(r.params)
  const memberParams = Type.Object({ ...r.params, ...UserIdParam })

  app.get(r.path, {
    config: r.guard,
    schema: {
      params,
      querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }) }),
      response: { 200: Type.Array(OrgUserSchema), ...ErrorResponses }
    }
  }, async (request) => {
    const members = await app.accounts.orgMembers(r.orgIdOf(request), request.query.query ?? '', request.query.limit)
    return members.map(m => orgUser(m, sub))
  })

  app.post(r.path, {
    config: r.guard,
    schema: { params, body: AddOrgUserBodySchema, response: { 200: AddOrgUserResponseSchema, ...ErrorResponses } }
  }, async (request) => {
    const userId = await app.accounts.addOrgUser(r.orgIdOf(request), request.body.loginOrEmail, request.body.role)
    return { message: 'User added to organization', userId }
  })

  app.patch(`${r.path}/:userId`, {
    config: r.guard,
    schema: { params: memberParams, body: UpdateOrgUserBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.accounts.updateOrgUser(r.orgIdOf(request), (request.params as { userId: number }).userId, request.body.role)
    return { message: 'Organization user updated' }
  })

  app.delete(`${r.path}/:userId`, {
    config: r.guard,
    schema: { params: memberParams, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    const { userDeleted } = await app.accounts.removeOrgUser(r.orgIdOf(request), (request.params as { userId: number }).userId)
    return { message: userDeleted ? 'User deleted' : 'User removed from organization' }
  })
}

// All orgs (server admin), creating orgs, and any org's members.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, IdParamsSchema, MessageSchema, PagingQuerySchema, IdSchema } from '../../schemas/common.js'
import { CreateOrgResponseSchema, OrgDetailsSchema, OrgNameBodySchema, OrgSchema } from '../../schemas/org.js'
import { ERR_ORG_CREATE_DENIED } from '../../plugins/errors/codes.js'
import { registerMemberRoutes } from './org-members.js'

const EMPTY_ADDRESS = { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' }

const orgs: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/orgs', {
    config: { serverAdmin: true },
    schema: {
      querystring: Type.Intersect([PagingQuerySchema, Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) })]),
      response: { 200: Type.Array(OrgSchema), ...ErrorResponses }
    }
  }, async (request) => {
    const { query, name, page, perpage } = request.query as { query?: string, name?: string, page: number, perpage: number }
    const rows = await app.accounts.searchOrgs(name ?? query ?? '', page, perpage)
    return rows.map(o => ({ id: o.id, name: o.name }))
  })

  app.post('/api/orgs', {
    schema: { body: OrgNameBodySchema, response: { 200: CreateOrgResponseSchema, ...ErrorResponses } }
  }, async (request) => {
    const me = request.identity!
    if (me.kind !== 'user' || me.userId === null || (!me.isGrafanaAdmin && !app.config.users.allowOrgCreate)) throw new ERR_ORG_CREATE_DENIED()
    const org = await app.accounts.createOrg(request.body.name.trim(), me.userId)
    return { orgId: org.id, message: 'Organization created' }
  })

  app.get('/api/orgs/:id', {
    config: { serverAdmin: true },
    schema: { params: IdParamsSchema, response: { 200: OrgDetailsSchema, ...ErrorResponses } }
  }, async (request) => {
    const o = await app.accounts.getOrg(request.params.id)
    return { id: o.id, name: o.name, address: EMPTY_ADDRESS }
  })

  app.put('/api/orgs/:id', {
    config: { serverAdmin: true },
    schema: { params: IdParamsSchema, body: OrgNameBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.accounts.renameOrg(request.params.id, request.body.name.trim())
    return { message: 'Organization updated' }
  })

  registerMemberRoutes(app, {
    path: '/api/orgs/:id/users',
    params: { id: IdSchema },
    orgIdOf: req => (req.params as { id: number }).id,
    guard: { serverAdmin: true }
  })
}

export default orgs

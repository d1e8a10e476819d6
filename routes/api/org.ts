// The request's current org: /api/org and its members.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses, MessageSchema } from '../../schemas/common.js'
import { OrgNameBodySchema, OrgSchema } from '../../schemas/org.js'
import { registerMemberRoutes } from './org-members.js'

const org: FastifyPluginAsyncTypebox = async (app) => {
  // The identity already carries the org (joined when the user or key was resolved): no second read.
  // Viewer at least, as Grafana's orgs:read: a user who is in no org reads none.
  app.get('/api/org', { config: { orgRole: 'Viewer' }, schema: { response: { 200: OrgSchema, ...ErrorResponses } } }, async (request) => {
    const { orgId, orgName } = request.identity!
    if (orgName !== '') return { id: orgId, name: orgName }
    const o = await app.accounts.getOrg(orgId)
    return { id: o.id, name: o.name }
  })

  app.put('/api/org', {
    config: { orgRole: 'Admin' },
    schema: { body: OrgNameBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.accounts.renameOrg(request.identity!.orgId, request.body.name.trim())
    return { message: 'Organization updated' }
  })

  registerMemberRoutes(app, { path: '/api/org/users', params: {}, orgIdOf: req => req.identity!.orgId, guard: { orgRole: 'Admin' } })
}

export default org

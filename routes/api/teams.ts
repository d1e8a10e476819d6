// /api/teams: teams of the request's org, their members and external groups. Org Admins only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, MessageSchema, IdSchema } from '../../schemas/common.js'
import {
  AddTeamMemberBodySchema, TeamBodySchema, TeamCreatedSchema, TeamGroupBodySchema, TeamGroupSchema, TeamMemberParamsSchema,
  TeamMemberSchema, TeamParamsSchema, TeamSchema, TeamSearchQuerySchema, TeamSearchResultSchema
} from '../../schemas/teams.js'
import { avatarUrl } from '../../plugins/accounts/present.js'
import type { TeamWithCount } from '../../plugins/teams/service.js'

const teams: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl
  const admin = { orgRole: 'Admin' as const }
  const dto = (t: TeamWithCount) => ({
    id: t.id, orgId: t.org_id, name: t.name, email: t.email, avatarUrl: avatarUrl(sub, t.email || t.name), memberCount: t.memberCount, permission: 0
  })

  app.post('/api/teams', { config: admin, schema: { body: TeamBodySchema, response: { 200: TeamCreatedSchema, ...ErrorResponses } } }, async (request) => {
    const team = await app.teams.create(request.identity!.orgId, request.body.name.trim(), request.body.email ?? '')
    return { message: 'Team created', teamId: team.id }
  })

  app.get('/api/teams/search', {
    config: admin,
    schema: { querystring: TeamSearchQuerySchema, response: { 200: TeamSearchResultSchema, ...ErrorResponses } }
  }, async (request) => {
    const { query = '', name = '', page, perpage } = request.query
    const { total, teams } = await app.teams.search(request.identity!.orgId, { query, name, page, perPage: perpage })
    return { totalCount: total, teams: teams.map(dto), page, perPage: perpage }
  })

  app.get('/api/teams/:id', { config: admin, schema: { params: TeamParamsSchema, response: { 200: TeamSchema, ...ErrorResponses } } }, async (request) =>
    dto(await app.teams.get(request.identity!.orgId, request.params.id)))

  app.put('/api/teams/:id', {
    config: admin,
    schema: { params: TeamParamsSchema, body: TeamBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.teams.update(request.identity!.orgId, request.params.id, request.body.name.trim(), request.body.email ?? '')
    return { message: 'Team updated' }
  })

  app.delete('/api/teams/:id', {
    config: admin,
    schema: { params: TeamParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.teams.delete(request.identity!.orgId, request.params.id)
    return { message: 'Team deleted' }
  })

  app.get('/api/teams/:id/members', {
    config: admin,
    schema: { params: TeamParamsSchema, response: { 200: Type.Array(TeamMemberSchema), ...ErrorResponses } }
  }, async (request) => {
    const members = await app.teams.members(request.identity!.orgId, request.params.id)
    return members.map(m => ({ ...m, avatarUrl: avatarUrl(sub, m.email), labels: m.external ? ['External'] : [] }))
  })

  app.post('/api/teams/:id/members', {
    config: admin,
    schema: { params: TeamParamsSchema, body: AddTeamMemberBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.teams.addMember(request.identity!.orgId, request.params.id, request.body.userId)
    return { message: 'Member added to Team' }
  })

  app.delete('/api/teams/:id/members/:userId', {
    config: admin,
    schema: { params: TeamMemberParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.teams.removeMember(request.identity!.orgId, request.params.id, request.params.userId)
    return { message: 'Team Member removed' }
  })

  app.get('/api/teams/:id/groups', {
    config: admin,
    schema: { params: TeamParamsSchema, response: { 200: Type.Array(TeamGroupSchema), ...ErrorResponses } }
  }, async (request) =>
    app.teams.groups(request.identity!.orgId, request.params.id))

  app.post('/api/teams/:id/groups', {
    config: admin,
    schema: { params: TeamParamsSchema, body: TeamGroupBodySchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.teams.addGroup(request.identity!.orgId, request.params.id, request.body.groupId.trim())
    return { message: 'Group added to Team' }
  })

  // Grafana's current form takes the group in the query (group ids often hold "/" and "=").
  app.delete('/api/teams/:id/groups', {
    config: admin,
    schema: {
      params: TeamParamsSchema,
      querystring: Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 200: MessageSchema, ...ErrorResponses }
    }
  }, async (request) => {
    await app.teams.removeGroup(request.identity!.orgId, request.params.id, request.query.groupId)
    return { message: 'Team Group removed' }
  })

  app.delete('/api/teams/:id/groups/:groupId', {
    config: admin,
    schema: {
      params: Type.Object({ id: IdSchema, groupId: Type.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 200: MessageSchema, ...ErrorResponses }
    }
  }, async (request) => {
    await app.teams.removeGroup(request.identity!.orgId, request.params.id, request.params.groupId)
    return { message: 'Team Group removed' }
  })
}

export default teams

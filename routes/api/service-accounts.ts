// /api/serviceaccounts: service accounts of the request's org and their glsa_ tokens. Org Admins only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, IdParamsSchema, MessageSchema, PagingQuerySchema } from '../../schemas/common.js'
import {
  CreateServiceAccountBodySchema, CreateTokenBodySchema, NewKeySchema, ServiceAccountSchema, ServiceAccountSearchSchema,
  TokenParamsSchema, TokenSchema, UpdateServiceAccountBodySchema
} from '../../schemas/api-keys.js'
import { avatarUrl } from '../../plugins/accounts/present.js'
import type { ServiceAccount } from '../../plugins/service-accounts/service.js'
import { ERR_SA_TOKEN_NOT_FOUND } from '../../plugins/errors/codes.js'

const WEEK_S = 7 * 86_400

const serviceAccounts: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { orgRole: 'Admin' as const }
  const sub = app.config.server.appSubUrl
  const dto = (sa: ServiceAccount) => ({
    id: sa.id,
    name: sa.name,
    login: sa.login,
    orgId: sa.orgId,
    isDisabled: sa.isDisabled,
    role: sa.role,
    tokens: sa.tokens,
    avatarUrl: avatarUrl(sub, sa.login),
    createdAt: sa.created.toISOString(),
    updatedAt: sa.updated.toISOString(),
    teams: [] as string[]
  })

  app.post('/api/serviceaccounts', {
    config: admin,
    schema: { body: CreateServiceAccountBodySchema, response: { 201: ServiceAccountSchema, ...ErrorResponses } }
  }, async (request, reply) => {
    const { name, role = 'Viewer', isDisabled = false } = request.body
    const sa = await app.serviceAccounts.create(request.identity!.orgId, name.trim(), role, isDisabled)
    return reply.code(201).send(dto(sa))
  })

  app.get('/api/serviceaccounts/search', {
    config: admin,
    schema: { querystring: PagingQuerySchema, response: { 200: ServiceAccountSearchSchema, ...ErrorResponses } }
  }, async (request) => {
    const { query = '', page, perpage } = request.query
    const { total, accounts } = await app.serviceAccounts.search(request.identity!.orgId, query, page, perpage)
    return { totalCount: total, serviceAccounts: accounts.map(dto), page, perPage: perpage }
  })

  app.get('/api/serviceaccounts/:id', {
    config: admin,
    schema: { params: IdParamsSchema, response: { 200: ServiceAccountSchema, ...ErrorResponses } }
  }, async (request) =>
    dto(await app.serviceAccounts.get(request.identity!.orgId, request.params.id)))

  app.patch('/api/serviceaccounts/:id', {
    config: admin,
    schema: {
      params: IdParamsSchema,
      body: UpdateServiceAccountBodySchema,
      response: {
        200: Type.Object({ message: Type.String(), id: Type.Integer(), name: Type.String(), serviceaccount: ServiceAccountSchema }),
        ...ErrorResponses
      }
    }
  }, async (request) => {
    const { name, role, isDisabled } = request.body
    const sa = await app.serviceAccounts.update(request.identity!.orgId, request.params.id, {
      ...(name !== undefined ? { name: name.trim() } : {}), ...(role !== undefined ? { role } : {}), ...(isDisabled !== undefined ? { isDisabled } : {})
    })
    await app.apiKeys.forgetServiceAccount(sa.id)
    return { message: 'Service account updated', id: sa.id, name: sa.name, serviceaccount: dto(sa) }
  })

  app.delete('/api/serviceaccounts/:id', {
    config: admin,
    schema: { params: IdParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.serviceAccounts.delete(request.identity!.orgId, request.params.id)
    await app.apiKeys.forgetServiceAccount(request.params.id)
    return { message: 'Service account deleted' }
  })

  app.get('/api/serviceaccounts/:id/tokens', {
    config: admin,
    schema: { params: IdParamsSchema, response: { 200: Type.Array(TokenSchema), ...ErrorResponses } }
  }, async (request) => {
    await app.serviceAccounts.get(request.identity!.orgId, request.params.id)
    const now = Date.now()
    return (await app.apiKeys.tokensOf(request.params.id)).map(k => {
      const left = k.expires === null ? null : Math.floor((k.expires.getTime() - now) / 1000)
      return {
        id: k.id,
        name: k.name,
        created: k.created.toISOString(),
        lastUsedAt: k.last_used_at?.toISOString() ?? null,
        expiration: k.expires?.toISOString() ?? null,
        // Grafana counts down only the last week, to warn about tokens that are about to expire.
        secondsUntilExpiration: left !== null && left > 0 && left <= WEEK_S ? left : 0,
        hasExpired: left !== null && left <= 0,
        isRevoked: k.is_revoked
      }
    })
  })

  app.post('/api/serviceaccounts/:id/tokens', {
    config: admin,
    schema: { params: IdParamsSchema, body: CreateTokenBodySchema, response: { 200: NewKeySchema, ...ErrorResponses } }
  }, async (request) => {
    const orgId = request.identity!.orgId
    const sa = await app.serviceAccounts.get(orgId, request.params.id)
    return app.apiKeys.create({ orgId, name: request.body.name.trim(), role: sa.role, secondsToLive: request.body.secondsToLive, serviceAccountId: sa.id })
  })

  app.delete('/api/serviceaccounts/:id/tokens/:tokenId', {
    config: admin,
    schema: { params: TokenParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    const orgId = request.identity!.orgId
    await app.serviceAccounts.get(orgId, request.params.id)
    if (!await app.apiKeys.delete(orgId, request.params.tokenId, request.params.id)) throw new ERR_SA_TOKEN_NOT_FOUND()
    return { message: 'Service account token deleted' }
  })
}

export default serviceAccounts

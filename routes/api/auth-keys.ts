// /api/auth/keys: Grafana's legacy API keys of the request's org. Org Admins only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses, IdParamsSchema, MessageSchema } from '../../schemas/common.js'
import { ApiKeyListQuerySchema, ApiKeySchema, CreateApiKeyBodySchema, NewKeySchema } from '../../schemas/api-keys.js'

const authKeys: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { orgRole: 'Admin' as const }

  app.get('/api/auth/keys', {
    config: admin,
    schema: { querystring: ApiKeyListQuerySchema, response: { 200: Type.Array(ApiKeySchema), ...ErrorResponses } }
  }, async (request) => {
    const rows = await app.apiKeys.list(request.identity!.orgId, request.query.includeExpired)
    return rows.map(k => ({ id: k.id, name: k.name, role: k.role, ...(k.expires !== null ? { expiration: k.expires.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}) }))
  })

  app.post('/api/auth/keys', {
    config: admin,
    schema: { body: CreateApiKeyBodySchema, response: { 200: NewKeySchema, ...ErrorResponses } }
  }, async (request) => {
    const { name, role, secondsToLive } = request.body
    return app.apiKeys.create({ orgId: request.identity!.orgId, name: name.trim(), role, secondsToLive })
  })

  app.delete('/api/auth/keys/:id', {
    config: admin,
    schema: { params: IdParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
  }, async (request) => {
    await app.apiKeys.delete(request.identity!.orgId, request.params.id)
    return { message: 'API key deleted' }
  })
}

export default authKeys

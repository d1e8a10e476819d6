// GET /api/health: unauthenticated liveness with a database check, as Grafana's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema } from '../../schemas/login.js'
import { VERSION, COMMIT } from '../../plugins/version.js'

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', {
    config: { auth: 'none' },
    schema: { response: { 200: HealthSchema, 503: HealthSchema } }
  }, async (_request, reply) => {
    const ok = await app.database.ping()
    reply.header('cache-control', 'no-store')
    return reply.code(ok ? 200 : 503).send({ commit: COMMIT, database: ok ? 'ok' : 'failing', version: VERSION })
  })
}

export default health

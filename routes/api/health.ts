// GET /api/health: unauthenticated liveness with a database check, as Grafana's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema } from '../../schemas/login.js'
import { VERSION, COMMIT } from '../../plugins/version.js'
import { databaseUnavailable } from '../../plugins/errors.js'

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', {
    config: { auth: 'none' },
    schema: { response: { 200: HealthSchema, 503: HealthSchema } }
  }, async (_request, reply) => {
    const ok = await app.database.ping()
    reply.header('cache-control', 'no-store')
    // The outage is logged once by the db plugin, not once per probe.
    if (!ok) databaseUnavailable.add(reply)
    return reply.code(ok ? 200 : 503).send({ commit: COMMIT, database: ok ? 'ok' : 'failing', version: VERSION })
  })
}

export default health

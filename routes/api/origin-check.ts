// The origin doctor's backend: would a page on this origin pass CORS, CSRF and Live, which rule
// decides, and which config lines would let it through. Org Admins only: it reveals the policy.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { OriginCheckQuerySchema, OriginCheckSchema } from '../../schemas/origin-check.js'

const originCheck: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/gatehouse/origin-check', {
    config: { orgRole: 'Admin' },
    schema: { querystring: OriginCheckQuerySchema, response: { 200: OriginCheckSchema, ...ErrorResponses } }
  }, async (request, reply) => {
    const text = request.query.origin.trim()
    if (text === 'null') return app.originPolicy.explain(text, request.headers.host)
    let parsed: URL | undefined
    try { parsed = new URL(text) } catch {}
    if (parsed === undefined || parsed.host === '' || !/^https?:$/.test(parsed.protocol)) {
      return reply.code(400).send({ message: 'origin must be an origin such as https://app.example.com' })
    }
    // A pasted URL is reduced to what a browser would send as its Origin.
    return app.originPolicy.explain(parsed.origin, request.headers.host)
  })
}

export default originCheck

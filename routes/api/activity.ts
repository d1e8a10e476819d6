// GET /api/gatehouse/activity: the last 15 minutes, per minute, for the activity page. Org Admins:
// it names the org's data sources and shows instance-wide Live and origin-refusal counts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { ActivitySchema } from '../../schemas/activity.js'

const activity: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/gatehouse/activity', {
    config: { orgRole: 'Admin' },
    schema: { summary: 'Activity of the last 15 minutes, per minute', response: { 200: ActivitySchema, ...ErrorResponses } }
  }, async (request, reply) => {
    app.activitySample()
    reply.header('cache-control', 'no-store')
    return app.activity.series(request.identity!.orgId)
  })
}

export default activity

// GET /api/search: the org's dashboards by title, tags, ids or uids, sorted by title (Grafana's legacy
// search; its rules live in plugins/dashboards/search-query.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { SearchHitSchema, SearchQuerySchema } from '../../schemas/dashboards.js'
import { searchHit } from '../../plugins/dashboards/present.js'
import { hasOrgRole } from '../../plugins/auth/identity.js'
import { searchFilter } from '../../plugins/dashboards/search-query.js'

const search: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl

  app.get('/api/search', {
    config: { orgRole: 'Viewer' },
    schema: { querystring: SearchQuerySchema, response: { 200: Type.Array(SearchHitSchema), ...ErrorResponses } }
  }, async (request) => {
    const identity = request.identity!
    const filter = searchFilter(request.query, identity.orgId, hasOrgRole(identity, 'Editor'))
    if (filter === undefined) return []
    return (await app.dashboards.search(filter)).map(r => searchHit(r, sub))
  })
}

export default search

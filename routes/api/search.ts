// GET /api/search: the org's dashboards by title, tags, ids or uids, sorted by title (Grafana's legacy
// search). There are no folders or stars yet, so asking for those finds nothing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { SearchHitSchema, SearchQuerySchema } from '../../schemas/dashboards.js'
import { searchHit } from '../../plugins/dashboards/present.js'
import { hasOrgRole } from '../../plugins/auth/identity.js'
import { ERR_SEARCH_IDS_AND_UIDS, ERR_SEARCH_LIMIT } from '../../plugins/errors/codes.js'

const numbers = (list: string[] = []) => list.filter(s => /^\d{1,10}$/.test(s)).map(Number)

const search: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl

  app.get('/api/search', {
    config: { orgRole: 'Viewer' },
    schema: { querystring: SearchQuerySchema, response: { 200: Type.Array(SearchHitSchema), '4xx': ErrorSchema } }
  }, async (request) => {
    const q = request.query
    const identity = request.identity!
    if ((q.limit ?? 0) > 5000) throw new ERR_SEARCH_LIMIT()
    const ids = numbers(q.dashboardIds)
    const uids = q.dashboardUIDs ?? q.dashboardUID ?? []
    if (ids.length > 0 && uids.length > 0) throw new ERR_SEARCH_IDS_AND_UIDS()
    // The General folder is folder id 0 or the uid "general"; no folder has a numeric id of its own.
    const folderUids = (q.folderUIDs ?? []).map(uid => uid === 'general' ? '' : uid)
    const folderIds = numbers(q.folderIds)
    if (folderIds.includes(0)) folderUids.push('')
    else if (folderIds.length > 0 && folderUids.length === 0) return []
    if (q.type === 'dash-folder' || q.starred === 'true') return []
    if (q.permission === 'Edit' && !hasOrgRole(identity, 'Editor')) return []
    const rows = await app.dashboards.search({
      orgId: identity.orgId,
      query: q.query ?? '',
      tags: [...new Set(q.tag ?? [])],
      ids,
      uids,
      folderUids,
      limit: q.limit !== undefined && q.limit >= 1 ? q.limit : 1000,
      page: q.page !== undefined && q.page >= 1 ? q.page : 1,
      descending: q.sort === 'alpha-desc'
    })
    return rows.map(r => searchHit(r, sub))
  })
}

export default search

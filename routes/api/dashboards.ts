// Dashboards: the built-in home dashboard (also at /dashboards/home, the form Grafana's auth-proxy
// docs use in their team-sync example), and stored dashboards by uid. Members read; Editors write.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses } from '../../schemas/common.js'
import {
  DashboardDeletedSchema, DashboardUidParamsSchema, DashboardWithMetaSchema, HomeDashboardSchema, SaveDashboardBodySchema, SaveDashboardResultSchema
} from '../../schemas/dashboards.js'
import { HOME_DASHBOARD } from '../../plugins/dashboards/home.js'
import { dashboardWithMeta, saveResult } from '../../plugins/dashboards/present.js'
import { hasOrgRole, type Identity } from '../../plugins/auth/identity.js'

const dashboards: FastifyPluginAsyncTypebox = async (app) => {
  const sub = app.config.server.appSubUrl

  const schema = { response: { 200: HomeDashboardSchema, ...ErrorResponses } }
  const home = async (request: { identity: Identity | null }) => ({
    dashboard: HOME_DASHBOARD,
    meta: {
      isHome: true,
      // The built-in home dashboard is not stored: nobody can save it, Editors may edit a copy.
      canSave: false,
      canEdit: request.identity !== null && hasOrgRole(request.identity, 'Editor'),
      canAdmin: false,
      canStar: false,
      canDelete: false,
      slug: '',
      url: '',
      folderTitle: 'General',
      folderUid: '',
      provisioned: false
    }
  })
  app.get('/api/dashboards/home', { schema }, home)
  app.get('/dashboards/home', { config: { auth: 'required' }, schema }, home)

  app.post('/api/dashboards/db', {
    config: { orgRole: 'Editor' },
    schema: { body: SaveDashboardBodySchema, response: { 200: SaveDashboardResultSchema, ...ErrorResponses } }
  }, async (request) => saveResult(await app.dashboards.save(request.identity!, request.body), sub))

  app.get('/api/dashboards/uid/:uid', {
    config: { orgRole: 'Viewer' },
    schema: { params: DashboardUidParamsSchema, response: { 200: DashboardWithMetaSchema, ...ErrorResponses } }
  }, async (request) => dashboardWithMeta(await app.dashboards.get(request.identity!.orgId, request.params.uid), request.identity!, sub))

  app.delete('/api/dashboards/uid/:uid', {
    config: { orgRole: 'Editor' },
    schema: { params: DashboardUidParamsSchema, response: { 200: DashboardDeletedSchema, ...ErrorResponses } }
  }, async (request) => {
    const row = await app.dashboards.remove(request.identity!.orgId, request.params.uid)
    return { title: row.title, message: `Dashboard ${row.title} deleted`, id: row.id }
  })
}

export default dashboards

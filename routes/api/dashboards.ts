// Dashboards. For now the home dashboard: GET /api/dashboards/home (and /dashboards/home, the form
// Grafana's auth-proxy docs use in their team-sync example).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { HomeDashboardSchema } from '../../schemas/dashboards.js'
import { HOME_DASHBOARD } from '../../plugins/dashboards/home.js'
import { hasOrgRole } from '../../plugins/auth/identity.js'

const dashboards: FastifyPluginAsyncTypebox = async (app) => {
  const schema = { response: { 200: HomeDashboardSchema, '4xx': ErrorSchema } }
  const home = async (request: { identity: import('../../plugins/auth/identity.js').Identity | null }) => ({
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
}

export default dashboards

// GET /api/plugins: the data-source plugins loaded at start, in Grafana's list-item shape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { PluginListItemSchema, PluginListQuerySchema } from '../../schemas/plugins.js'

const plugins: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/plugins', { config: { orgRole: 'Viewer' }, schema: { querystring: PluginListQuerySchema, response: { 200: Type.Array(PluginListItemSchema), '4xx': ErrorSchema } } }, async (request) => {
    const type = request.query.type
    return app.pluginRegistry.list().filter(p => type === undefined || type === '' || p.type === type).map(p => {
      const info = p.manifest.info ?? {}
      return {
        name: p.name,
        type: p.type,
        id: p.id,
        enabled: true,
        pinned: false,
        info: {
          author: { name: info.author?.name ?? '', url: info.author?.url ?? '' },
          description: info.description ?? '',
          logos: { small: info.logos?.small ?? '', large: info.logos?.large ?? '' },
          version: info.version ?? '',
          updated: ''
        },
        latestVersion: '',
        hasUpdate: false,
        defaultNavUrl: '',
        category: '',
        state: '',
        signature: 'unsigned',
        signatureType: '',
        signatureOrg: ''
      }
    })
  })
}

export default plugins

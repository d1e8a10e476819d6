// GET /api/plugins and GET /api/plugins/:pluginId/settings: the data-source plugins loaded at
// start, in Grafana's shapes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { PluginIdParamsSchema, PluginListItemSchema, PluginListQuerySchema, PluginSettingsSchema } from '../../schemas/plugins.js'
import { pluginListItem, pluginSettings } from '../../plugins/plugin-registry/settings.js'
import { ERR_PLUGIN_NOT_FOUND } from '../../plugins/errors/codes.js'

const plugins: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/plugins', {
    config: { orgRole: 'Viewer' },
    schema: { querystring: PluginListQuerySchema, response: { 200: Type.Array(PluginListItemSchema), ...ErrorResponses } }
  }, async (request) => {
    const type = request.query.type
    return app.pluginRegistry.list().filter(p => type === undefined || type === '' || p.type === type).map(pluginListItem)
  })

  app.get('/api/plugins/:pluginId/settings', {
    config: { orgRole: 'Viewer' },
    schema: { params: PluginIdParamsSchema, response: { 200: PluginSettingsSchema, ...ErrorResponses } }
  }, async (request) => {
    const plugin = app.pluginRegistry.get(request.params.pluginId)
    if (plugin === undefined) throw new ERR_PLUGIN_NOT_FOUND()
    return pluginSettings(plugin)
  })
}

export default plugins

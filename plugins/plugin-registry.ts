// Data-source plugins from [paths] plugins: decorates `pluginRegistry` (routes for the proxy,
// names and logos for the data-source API, the list for GET /api/plugins).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { loadPlugins } from './plugin-registry/load.js'
import type { Plugin } from './plugin-registry/compile.js'

export interface PluginRegistry {
  get (id: string): Plugin | undefined
  list (): Plugin[]
}

declare module 'fastify' {
  interface FastifyInstance {
    pluginRegistry: PluginRegistry
  }
}

async function pluginRegistryPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'plugin.loader' })
  const dir = app.config.paths.plugins
  const { plugins, skipped } = loadPlugins(dir)
  for (const s of skipped) log.warn({ file: s.file, reason: s.reason }, 'Skipping invalid plugin')
  log.info({ dir, count: plugins.size, ids: [...plugins.keys()].join(',') }, 'Plugins loaded')
  const sorted = [...plugins.values()].sort((a, b) => a.name.localeCompare(b.name))
  app.decorate('pluginRegistry', { get: (id: string) => plugins.get(id), list: () => sorted })
}

export default fp(pluginRegistryPlugin, { name: 'plugin-registry', dependencies: ['config'] })

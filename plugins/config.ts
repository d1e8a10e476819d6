// Exposes the loaded, validated configuration to every plugin.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { LoadedConfig } from '../config/load.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: LoadedConfig
  }
}

async function configPlugin (app: FastifyInstance, opts: { config: LoadedConfig }): Promise<void> {
  app.decorate('config', opts.config)
}

export default fp(configPlugin, { name: 'config' })

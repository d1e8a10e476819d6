// Exposes the loaded, validated configuration to every plugin, and logs its start-up warnings.
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
  // Config is read before Fastify exists: its warnings (unknown keys, risky values) are logged here, once.
  const log = app.log.child({ logger: 'settings' })
  for (const warning of opts.config.warnings) log.warn(warning)
}

export default fp(configPlugin, { name: 'config' })

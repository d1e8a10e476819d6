// Data sources per org: decorates `dataSources` (CRUD for the API, decrypted view for the proxy).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { DataSources } from './datasources/service.js'
import { authProxyHeaders } from './datasources/reserved-headers.js'

declare module 'fastify' {
  interface FastifyInstance {
    dataSources: DataSources
  }
}

async function dataSourcesPlugin (app: FastifyInstance): Promise<void> {
  app.decorate('dataSources', new DataSources(app.db, app.secureJson, authProxyHeaders(app.config.authProxy)))
}

export default fp(dataSourcesPlugin, { name: 'datasources', dependencies: ['db', 'secure-json'] })

// Data sources per org: decorates `dataSources` (CRUD for the API, decrypted view for the proxy).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { DataSources } from './datasources/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    dataSources: DataSources
  }
}

async function dataSourcesPlugin (app: FastifyInstance): Promise<void> {
  app.decorate('dataSources', new DataSources(app.db, app.secureJson, app.config.authProxy.headerName))
}

export default fp(dataSourcesPlugin, { name: 'datasources', dependencies: ['db', 'secure-json'] })

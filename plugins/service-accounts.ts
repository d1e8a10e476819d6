// Service accounts: decorates `serviceAccounts` (their tokens live in `apiKeys`).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ServiceAccounts } from './service-accounts/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    serviceAccounts: ServiceAccounts
  }
}

async function serviceAccountsPlugin (app: FastifyInstance): Promise<void> {
  app.decorate('serviceAccounts', new ServiceAccounts(app.db))
}

export default fp(serviceAccountsPlugin, { name: 'service-accounts', dependencies: ['db', 'api-keys'] })

// Users and orgs: decorates `accounts`, creates org 1 and the admin user on first start, and warns
// while the admin keeps the default password.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Accounts } from './accounts/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    accounts: Accounts
  }
}

async function accountsPlugin (app: FastifyInstance): Promise<void> {
  const accounts = new Accounts(app.db, app.config)
  const { createdOrg, createdAdmin } = await accounts.bootstrap()
  const log = app.log.child({ logger: 'accounts' })
  if (createdOrg) log.info({ name: 'Main Org.' }, 'Created default organization')
  if (createdAdmin) log.info({ user: app.config.security.adminUser }, 'Created default admin')
  // Grafana's first-start habit leaves admin/admin in place more often than anyone admits.
  if (await accounts.checkPassword(app.config.security.adminUser, 'admin') !== undefined) {
    log.warn({ user: app.config.security.adminUser }, 'The admin user still has the default password "admin": sign in and change it, or run gatehouse admin reset-admin-password')
  }
  app.decorate('accounts', accounts)
}

export default fp(accountsPlugin, { name: 'accounts', dependencies: ['config', 'db'] })

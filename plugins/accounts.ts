// Users and orgs: decorates `accounts`, creates org 1 and the admin user on first start, and warns
// while the admin keeps the default password.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Accounts } from './accounts/service.js'

/** Cluster-bus topic: an AccountChange (plugins/accounts/service.ts). */
export const ACCOUNT_CHANGED = 'accounts.changed'

declare module 'fastify' {
  interface FastifyInstance {
    accounts: Accounts
  }
}

async function accountsPlugin (app: FastifyInstance): Promise<void> {
  // Cached identities (basic auth) on every worker drop what a change touched before the change is confirmed.
  const accounts = new Accounts(app.db, app.config, async change => { await app.cluster.broadcast(ACCOUNT_CHANGED, change) })
  const { createdOrg, createdAdmin } = await accounts.bootstrap()
  const log = app.log.child({ logger: 'accounts' })
  if (createdOrg) log.info({ name: 'Main Org.' }, 'Created default organization')
  if (createdAdmin) log.info({ user: app.config.security.adminUser }, 'Created default admin')
  // Grafana's first-start habit leaves admin/admin in place more often than anyone admits. Checked
  // beside the start, not in its way: a password hash costs time the start-up timeout may not have,
  // and once the plugins are loaded, so secure-json's key derivation does not queue behind it on
  // the scrypt thread.
  const { adminUser } = app.config.security
  app.addHook('onReady', async () => {
    accounts.checkPassword(adminUser, 'admin').then(user => {
      if (user === undefined) return
      log.warn({ user: adminUser }, 'The admin user still has the default password "admin": sign in and change it, or run gatehouse admin reset-admin-password')
    }, () => { /* the database went away (closed during start): nothing to warn about */ })
  })
  app.decorate('accounts', accounts)
}

export default fp(accountsPlugin, { name: 'accounts', dependencies: ['config', 'db', 'cluster'] })

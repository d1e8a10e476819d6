// [auth.proxy]: sign users in from a trusted reverse proxy's header (X-WEBAUTH-USER by default).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter } from 'prom-client'
import { PRIORITY } from './auth.js'
import { authProxyProvider } from './auth-proxy/provider.js'

async function authProxyPlugin (app: FastifyInstance): Promise<void> {
  const { authProxy, users, server } = app.config
  if (!authProxy.enabled) return
  const log = app.log.child({ logger: 'auth.proxy' })
  const syncs = app.metrics === undefined
    ? undefined
    : new Counter({ name: 'gatehouse_auth_proxy_syncs_total', help: 'Auth proxy user look-ups and syncs (cache misses).', registers: [app.metrics.registry] })
  app.addAuthProvider(authProxyProvider({
    db: app.db,
    accounts: app.accounts,
    sessions: app.sessions,
    teams: app.teams,
    proxy: authProxy,
    users,
    log,
    loginPath: `${server.appSubUrl}/login`,
    ...(syncs !== undefined ? { syncs } : {})
  }), PRIORITY.authProxy)
  log.info({ header: authProxy.headerName, whitelist: authProxy.whitelist.entries.join(',') || 'any' }, 'Auth proxy enabled')
}

export default fp(authProxyPlugin, { name: 'auth-proxy', dependencies: ['config', 'db', 'accounts', 'sessions', 'auth', 'teams'] })

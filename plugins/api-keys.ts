// API keys and service-account tokens: decorates `apiKeys` and adds the key method to the auth
// pipeline at Grafana's priority (before basic auth, the auth proxy and the session cookie).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { PRIORITY } from './auth.js'
import { ApiKeys, type KeyChange } from './api-keys/service.js'
import { apiKeyProvider } from './api-keys/provider.js'

declare module 'fastify' {
  interface FastifyInstance {
    apiKeys: ApiKeys
  }
}

/** Cluster-bus topic: a KeyChange (plugins/api-keys/service.ts). */
const KEY_CHANGED = 'api-keys.changed'

async function apiKeysPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'apikey' })
  // A revoked key is refused by every worker before the revocation is confirmed (see plugins/cluster.ts).
  const keys = new ApiKeys(app.db, app.config.auth.apiKeyMaxSecondsToLive, err => log.warn({ err }, 'Failed to record API key use'),
    async change => { await app.cluster.broadcast(KEY_CHANGED, change) })
  app.cluster.on(KEY_CHANGED, (change: KeyChange) => { keys.forget(change) })
  app.decorate('apiKeys', keys)
  app.addAuthProvider(apiKeyProvider(keys), PRIORITY.apiKey)
  // Runs before the database closes (onClose hooks run in reverse registration order).
  app.addHook('onClose', async () => { await keys.close() })
}

export default fp(apiKeysPlugin, { name: 'api-keys', dependencies: ['config', 'db', 'cluster', 'auth'] })

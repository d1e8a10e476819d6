// Envelope encryption of data-source secrets: decorates `secureJson`. Every stored data key is
// decrypted at start, so a wrong [security] secret_key stops the server instead of failing later.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { DataKeys, prederiveKeks } from './secure-json/data-keys.js'
import { SecureJson } from './secure-json/values.js'

declare module 'fastify' {
  interface FastifyInstance {
    secureJson: SecureJson
  }
}

async function secureJsonPlugin (app: FastifyInstance): Promise<void> {
  const keys = new DataKeys(app.db, app.config.security.secretKeys)
  await keys.loadAll()
  app.decorate('secureJson', new SecureJson(keys))
}

export default fp(secureJsonPlugin, { name: 'secure-json', dependencies: ['config', 'db'] })

/**
 * Registered before the database: starts deriving the key-encryption keys (scrypt, ~50 ms each)
 * on the scrypt thread while the database opens and migrates, so secure-json finds them done.
 */
export const secureJsonKeys = fp(async (app: FastifyInstance) => {
  prederiveKeks(app.config.security.secretKeys)
}, { name: 'secure-json-keys', dependencies: ['config'] })

// POST /api/admin/secrets/rotate: the running server re-encrypts every data key under [security]
// secret_key. On the embedded database the server is its only owner, so online rotation has to
// happen here (the CLI cannot open the database while a server holds it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { ERR_SECRETS_ROTATE } from '../../plugins/errors/codes.js'
import { rotateDataKeys } from '../../plugins/secure-json/rotate.js'
import { SecretKeyMismatch } from '../../plugins/secure-json/data-keys.js'

const RotateResponseSchema = Type.Object({ message: Type.String(), total: Type.Integer(), rotated: Type.Integer() })

const adminSecrets: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/admin/secrets/rotate', {
    config: { serverAdmin: true },
    schema: { response: { 200: RotateResponseSchema, ...ErrorResponses } }
  }, async (request) => {
    try {
      const { total, rotated } = await rotateDataKeys(app.db, app.config.security.secretKeys)
      request.log.info({ logger: 'secrets', total, rotated }, 'Data keys rotated')
      return { message: 'Data keys re-encrypted under [security] secret_key', total, rotated }
    } catch (err) {
      if (err instanceof SecretKeyMismatch) throw new ERR_SECRETS_ROTATE(err.message)
      throw err
    }
  })
}

export default adminSecrets

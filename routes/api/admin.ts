// Server-admin user management: create (POST /api/admin/users), disable and enable.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses, IdParamsSchema, MessageSchema } from '../../schemas/common.js'
import { AdminCreateUserBodySchema, AdminCreateUserResponseSchema } from '../../schemas/user.js'
import { ERR_BAD_REQUEST } from '../../plugins/errors/codes.js'

const admin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/admin/users', {
    config: { serverAdmin: true },
    schema: { body: AdminCreateUserBodySchema, response: { 200: AdminCreateUserResponseSchema, ...ErrorResponses } }
  }, async (request) => {
    const b = request.body
    if ((b.login ?? '').trim() === '' && (b.email ?? '').trim() === '') throw new ERR_BAD_REQUEST('bad request data: login or email is required')
    const user = await app.accounts.createUser({
      ...(b.login !== undefined ? { login: b.login } : {}),
      ...(b.email !== undefined ? { email: b.email } : {}),
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.orgId !== undefined ? { orgId: b.orgId } : {}),
      password: b.password
    })
    return { id: user.id, message: 'User created' }
  })

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/api/admin/users/:id/${action}`, {
      config: { serverAdmin: true },
      schema: { params: IdParamsSchema, response: { 200: MessageSchema, ...ErrorResponses } }
    }, async (request) => {
      await app.accounts.setDisabled(request.params.id, disabled)
      return { message: disabled ? 'User disabled' : 'User enabled' }
    })
  }
}

export default admin

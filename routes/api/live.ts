// /api/live: the Live websocket (auth by the usual pipeline, then Live's origin rule, both before
// the upgrade), HTTP publish, Telegraf's line-protocol push, and the managed channel list.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { ChannelListSchema, EmptySchema, PublishBodySchema, PushParamsSchema, PushQuerySchema } from '../../schemas/live.js'
import { ERR_LIVE_INFO } from '../../plugins/errors/codes.js'

const live: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/live/ws', {
    websocket: true,
    // Live's own origin rule (the origin policy's) judges every upgrade, cookie or not;
    // [live] allowed_origins exists for exactly the cookie-carrying page that CSRF would refuse.
    config: { csrf: false },
    preValidation: app.originPolicy.checkLiveUpgrade
  }, (socket, request) => {
    app.live.accept(socket, request.identity!)
  })

  app.post('/api/live/publish', {
    schema: { body: PublishBodySchema, response: { 200: EmptySchema, ...ErrorResponses } }
  }, async (request) => {
    const { channel, data } = request.body
    app.live.publishHttp(request.identity!, channel, data)
    return {}
  })

  app.get('/api/live/list', {
    schema: { response: { 200: ChannelListSchema, ...ErrorResponses } }
  }, async (request) => ({ channels: app.live.list(request.identity!.orgId) }))

  app.get('/api/live/info/*', {
    schema: { response: { ...ErrorResponses } }
  }, async () => { throw new ERR_LIVE_INFO() })

  await app.register(pushRoute)
}

// Telegraf posts line protocol as text/plain; curl -d sends a form type: every body is text here.
const pushRoute: FastifyPluginAsyncTypebox = async (push) => {
  push.removeAllContentTypeParsers()
  push.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  push.post('/api/live/push/:streamId', {
    config: { orgRole: 'Editor' },
    schema: { params: PushParamsSchema, querystring: PushQuerySchema, response: { ...ErrorResponses } }
  }, async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : ''
    push.live.push(request.identity!, request.params.streamId, body, request.query.gf_live_frame_format)
    // Grafana answers 200 with no body at all.
    return reply.code(200).send(undefined as never)
  })
}

export default live

// /api/datasources/proxy/:id/* and /api/datasources/proxy/uid/:uid/*: every org member may use
// the proxy (Grafana's datasources:query); routes may ask for more. Bodies are not parsed here:
// they stream through to the data source untouched.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

type Params = { id?: string, uid?: string }

export default async function dataSourceProxyRoutes (app: FastifyInstance): Promise<void> {
  // No per-request child logger (Fastify binds a reqId into a new pino child, redaction included,
  // on every request): the proxy logs through its own named logger, never through request.log's
  // bindings, so its requests share the parent. Scoped to these routes by encapsulation.
  app.setChildLoggerFactory(logger => logger)
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })
  const opts = { config: { orgRole: 'Viewer' as const } }
  const byUid = async (request: FastifyRequest, reply: FastifyReply) =>
    app.dataSourceProxy.handle(request, reply, { uid: (request.params as Params).uid ?? '' })
  const byId = async (request: FastifyRequest, reply: FastifyReply) => app.dataSourceProxy.handle(request, reply, { id: (request.params as Params).id ?? '' })
  app.all('/api/datasources/proxy/uid/:uid', opts, byUid)
  app.all('/api/datasources/proxy/uid/:uid/*', opts, byUid)
  app.all('/api/datasources/proxy/:id', opts, byId)
  app.all('/api/datasources/proxy/:id/*', opts, byId)
}

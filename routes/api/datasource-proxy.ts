// /api/datasources/proxy/:id/* and /api/datasources/proxy/uid/:uid/*: every org member may use
// the proxy (Grafana's datasources:query); routes may ask for more. Bodies are not parsed here:
// they stream through to the data source untouched. Common GETs take the early path (see
// plugins/datasource-proxy/early.ts) and reach these routes only when that path declines them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { installEarlyPath } from '../../plugins/datasource-proxy/early.js'

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
  // The common case (a GET with an API key or basic auth) is served before the router, by the same
  // code these routes run; everything else still comes here.
  installEarlyPath(app, { prefix: app.prefix, guards: opts.config })
}

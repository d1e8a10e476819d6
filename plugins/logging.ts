// Request logging like Grafana's "Request Completed" lines: errors always, everything with router_logging.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { levels } from 'pino'
import { databaseUnavailable } from './errors.js'

async function loggingPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'context' })
  const verbose = app.config.server.routerLogging
  // A callback hook, not an async one: no promise per request for work that never waits.
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode
    // During a database outage the db plugin logs once; a line per refused request would flood.
    const level = status >= 500 && !databaseUnavailable.has(reply) ? 'error' : verbose ? 'info' : 'debug'
    if (levels.values[level]! < levels.values[log.level]!) return done()
    const id = request.identity
    log[level]({
      ...(id != null ? { userId: id.userId ?? 0, orgId: id.orgId, uname: id.login } : {}),
      method: request.method,
      // The query string may carry secrets (tokens in URLs): log the path only.
      path: request.url.split('?')[0],
      status,
      remote_addr: request.ip,
      time_ms: Math.round(reply.elapsedTime),
      size: reply.getHeader('content-length') ?? 0
    }, 'Request Completed')
    done()
  })
}

export default fp(loggingPlugin, { name: 'logging', dependencies: ['config'] })

// Request logging like Grafana's "Request Completed" lines: errors always, everything with router_logging.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { levels } from 'pino'
import type { Identity } from './auth/identity.js'
import { databaseUnavailable } from './errors.js'

export interface CompletedRequest {
  identity: Identity | null
  method: string
  /** The request URL; only its path is logged. */
  url: string
  status: number
  remoteAddr: string
  elapsedMs: number
  size: unknown
  /** A refusal during a database outage (the db plugin logs the outage once). */
  databaseUnavailable: boolean
}

export interface RequestLog {
  completed: (request: CompletedRequest) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    requestLog: RequestLog
  }
}

async function loggingPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'context' })
  const verbose = app.config.server.routerLogging
  const requestLog: RequestLog = {
    completed (r) {
      const status = r.status
      // During a database outage the db plugin logs once; a line per refused request would flood.
      const level = status >= 500 && !r.databaseUnavailable ? 'error' : verbose ? 'info' : 'debug'
      if (levels.values[level]! < levels.values[log.level]!) return
      const id = r.identity
      log[level]({
        ...(id != null ? { userId: id.userId ?? 0, orgId: id.orgId, uname: id.login } : {}),
        method: r.method,
        // The query string may carry secrets (tokens in URLs): log the path only.
        path: r.url.split('?')[0],
        status,
        remote_addr: r.remoteAddr,
        time_ms: Math.round(r.elapsedMs),
        size: r.size ?? 0
      }, 'Request Completed')
    }
  }
  app.decorate('requestLog', requestLog)
  // A callback hook, not an async one: no promise per request for work that never waits.
  app.addHook('onResponse', (request, reply, done) => {
    requestLog.completed({
      identity: request.identity,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      remoteAddr: request.ip,
      elapsedMs: reply.elapsedTime,
      size: reply.getHeader('content-length'),
      databaseUnavailable: databaseUnavailable.has(reply)
    })
    done()
  })
}

export default fp(loggingPlugin, { name: 'logging', dependencies: ['config'] })

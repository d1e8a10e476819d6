// Prometheus metrics (prom-client): HTTP requests, logins and auth failures, database pool,
// origin refusals.
// Names follow Grafana's where Grafana has the metric, so existing dashboards keep working.
import fp from 'fastify-plugin'
import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { parseBasic } from './auth/basic-header.js'
import { ERR_UNAUTHORIZED } from './errors/codes.js'

export interface Metrics {
  registry: Registry
  httpDuration: Histogram<'handler' | 'method' | 'status_code'>
  logins: Counter<'method' | 'result'>
  authFailures: Counter<'method'>
  /** One answered request into grafana_http_request_duration_seconds (handler: the route's URL pattern). */
  observeRequest: (handler: string, method: string, status: number, elapsedMs: number) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest()

async function metricsPlugin (app: FastifyInstance): Promise<void> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  // The labelled child per handler, method and status, looked up once: prom-client otherwise
  // hashes the label object on every observation. Bounded: routes × methods × statuses.
  const children = new Map<string, ReturnType<Metrics['httpDuration']['labels']>>()
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'grafana_http_request_duration_seconds',
      help: 'Histogram of latencies for HTTP requests.',
      labelNames: ['handler', 'method', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry]
    }),
    logins: new Counter({ name: 'gatehouse_logins_total', help: 'Sign-ins by method and result.', labelNames: ['method', 'result'], registers: [registry] }),
    authFailures: new Counter({
      name: 'gatehouse_auth_failures_total',
      help: 'Requests whose credentials were rejected, by method.',
      labelNames: ['method'],
      registers: [registry]
    }),
    observeRequest (handler, method, status, elapsedMs) {
      const key = `${handler} ${method} ${status}`
      let child = children.get(key)
      if (child === undefined) {
        child = metrics.httpDuration.labels({ handler, method, status_code: String(status) })
        if (children.size < 10_000) children.set(key, child)
      }
      child.observe(elapsedMs / 1000)
    }
  }
  new Gauge({ // eslint-disable-line no-new
    name: 'gatehouse_db_pool_connections',
    help: 'Database connections by state.',
    labelNames: ['state'],
    registers: [registry],
    collect () {
      if (!app.hasDecorator('database')) return
      const s = app.database.poolStats()
      this.set({ state: 'total' }, s.total)
      this.set({ state: 'idle' }, s.idle)
      this.set({ state: 'waiting' }, s.waiting)
    }
  })
  new Counter({ // eslint-disable-line no-new
    name: 'gatehouse_origin_refusals_total',
    help: 'Requests an origin rule refused (mode=enforced) or would refuse in report-only mode (mode=reported), by surface (cors, csrf, live).',
    labelNames: ['surface', 'mode'],
    registers: [registry],
    collect () {
      if (!app.hasDecorator('originRefusals')) return
      // The origin policy keeps the totals (it is registered before this plugin); mirror them.
      this.reset()
      for (const { surface, mode, count } of app.originRefusals.totals()) this.inc({ surface, mode }, count)
    }
  })
  app.decorate('metrics', metrics)

  // A callback hook, not an async one: no promise per request for work that never waits.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.routeOptions.url ?? 'notfound', request.method, reply.statusCode, reply.elapsedTime)
    done()
  })

  const { enabled, basicAuthUsername, basicAuthPassword } = app.config.metrics
  if (!enabled) return
  const protectedBy = basicAuthUsername !== '' && basicAuthPassword !== ''
    ? { user: digest(basicAuthUsername), pass: digest(basicAuthPassword) }
    : undefined
  app.get('/metrics', { config: { auth: 'none' } }, async (request, reply) => {
    if (protectedBy !== undefined) {
      const c = parseBasic(request.headers.authorization)
      // Evaluate both comparisons: no early exit that would time which half was wrong.
      const ok = c !== undefined &&
        [timingSafeEqual(digest(c.username), protectedBy.user), timingSafeEqual(digest(c.password), protectedBy.pass)].every(Boolean)
      if (!ok) {
        reply.header('WWW-Authenticate', 'Basic realm="metrics"')
        throw new ERR_UNAUTHORIZED()
      }
    }
    reply.type(registry.contentType)
    return registry.metrics()
  })
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['config'] })

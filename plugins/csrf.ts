// CSRF protection for cookie-authenticated requests (Grafana's CVE-2022-21703 rule). API keys
// and basic auth carry no ambient credentials, so requests without the login cookie pass. The
// rule itself lives in the origin policy, shared with CORS and Live.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ERR_BAD_HOST, ERR_ORIGIN_NOT_ALLOWED } from './errors/codes.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route judges the Origin itself, for every request (the Live websocket). */
    csrf?: boolean
  }
}

async function csrfPlugin (app: FastifyInstance): Promise<void> {
  const { auth } = app.config
  const log = app.log.child({ logger: 'csrf' })

  // A callback hook, not an async one: no promise per request for a check that never waits.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.config.csrf === false) return done()
    const verdict = app.originPolicy.csrf({
      method: request.method,
      hasLoginCookie: (request.cookies[auth.loginCookieName] ?? '') !== '',
      origin: request.headers.origin,
      host: request.headers.host,
      header: name => { const v = request.headers[name]; return Array.isArray(v) ? v[0] : v }
    })
    if (verdict === 'allow') return done()
    if (verdict === 'bad-host') return done(new ERR_BAD_HOST())
    log.warn({ origin: request.headers.origin, host: request.headers.host, path: request.url.split('?')[0] }, 'Origin check failed')
    app.activity.originRefused('csrf') // activity: the origin-refusal call site for CSRF
    done(new ERR_ORIGIN_NOT_ALLOWED())
  })
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['config', 'origin-policy', 'sessions', 'activity'] })

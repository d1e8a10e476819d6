// Identity on every request, in Grafana's order (API key → basic → auth proxy → session),
// and the route guards: `config: { auth, orgRole, serverAdmin }` on each route.
import fp from 'fastify-plugin'
import type { FastifyContextConfig, FastifyError, FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import type { OrgRole } from '../config/settings.js'
import { ERR_PERMISSION_DENIED, ERR_UNAUTHORIZED } from './errors/codes.js'
import { LoginAttempts } from './auth/brute-force.js'
import { PasswordLogin } from './auth/password-login.js'
import { basicProvider } from './auth/basic.js'
import { ACCOUNT_CHANGED } from './accounts.js'
import { sessionProvider } from './auth/session.js'
import { hasOrgRole, type Identity } from './auth/identity.js'
import type { AuthProvider, AuthRequest, SessionCookieWriter } from './auth/provider.js'

/** A request's identity, or null with the first refusal a later method did not overturn. */
export interface Identified { identity: Identity | null, failure?: FastifyError }

export interface Authentication {
  /** Runs the pipeline. Throws a refusal that is the answer whatever the route. */
  identify: (request: AuthRequest, reply: SessionCookieWriter) => Promise<Identified>
  /** A request identified before Fastify saw it: its onRequest hook takes this outcome instead of identifying it again. */
  handOver: (raw: IncomingMessage, outcome: Promise<Identified>) => void
  /** Throws the refusal when the route's guards (required identity, orgRole, serverAdmin) refuse. */
  admits: (identified: Identified, required: boolean, guards: FastifyContextConfig) => void
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null
  }
  interface FastifyInstance {
    passwordLogin: PasswordLogin
    authentication: Authentication
    /** Later concerns (API keys, auth proxy) add their method; the pipeline keeps Grafana's order. */
    addAuthProvider: (provider: AuthProvider, priority: number) => void
  }
  interface FastifyContextConfig {
    /** required (default under /api), optional (identity if any), none (skip authentication). */
    auth?: 'required' | 'optional' | 'none'
    /** Minimum role in the request's org. */
    orgRole?: OrgRole
    /** Grafana server admin only. */
    serverAdmin?: boolean
  }
}

// Grafana's client priorities.
export const PRIORITY = { apiKey: 30, basic: 40, authProxy: 50, session: 60 } as const

async function authPlugin (app: FastifyInstance): Promise<void> {
  const { config } = app
  const log = app.log.child({ logger: 'context' })
  const attempts = new LoginAttempts(app.db, config.security.bruteForceLoginProtectionMaxAttempts, config.security.disableBruteForceLoginProtection)
  const passwordLogin = new PasswordLogin(app.accounts, attempts)
  app.decorate('passwordLogin', passwordLogin)

  const pipeline: Array<{ provider: AuthProvider, priority: number }> = []
  app.decorate('addAuthProvider', (provider: AuthProvider, priority: number) => {
    pipeline.push({ provider, priority })
    pipeline.sort((a, b) => a.priority - b.priority)
  })
  if (config.auth.basicEnabled) {
    const basic = basicProvider(app.db, passwordLogin)
    app.cluster.on(ACCOUNT_CHANGED, basic.forget)
    app.addAuthProvider(basic, PRIORITY.basic)
  }
  app.addAuthProvider(sessionProvider(app.db, app.sessions, config.auth.loginCookieName), PRIORITY.session)

  const apiPrefix = `${config.server.appSubUrl}/api/`
  // routeOptions is a getter that builds an object: read it once per request (the hot path).
  const modeOf = (url: string, config: FastifyContextConfig | undefined) =>
    config?.auth ?? (url.startsWith(apiPrefix) || url.startsWith('/api/') ? 'required' : 'optional')

  /** Grafana's pipeline: the first method whose credentials the request carries and that accepts them. */
  async function identify (request: AuthRequest, reply: SessionCookieWriter): Promise<Identified> {
    let failure: FastifyError | undefined
    for (const { provider } of pipeline) {
      if (!provider.test(request)) continue
      try {
        return { identity: await provider.authenticate(request, reply) }
      } catch (err) {
        const e = err as FastifyError
        if (e.statusCode === undefined || e.statusCode >= 500) throw err
        app.metrics.authFailures.inc({ method: provider.name })
        log.debug({ method: provider.name, reason: e.message, path: request.url.split('?')[0] }, 'Failed to authenticate request')
        // 401: these credentials failed, a later method may still succeed. Anything else (a 403 for
        // an org the user is not in, a 400 for a malformed proxy header) is the answer.
        if (e.statusCode !== 401) throw err
        failure ??= e
      }
    }
    return { identity: null, ...(failure !== undefined ? { failure } : {}) }
  }
  // Requests the proxy's early path identified before handing them to Fastify: their outcome is
  // used as it is, so no method runs twice (a failed attempt is counted and logged once).
  const handedOver = new WeakMap<IncomingMessage, Promise<Identified>>()
  const authentication: Authentication = {
    identify,
    handOver (raw, outcome) {
      outcome.catch(() => {}) // the onRequest hook reads it
      handedOver.set(raw, outcome)
    },
    admits ({ identity, failure }, required, guards) {
      if (identity === null) {
        if (required) throw failure ?? new ERR_UNAUTHORIZED()
        return
      }
      const { orgRole, serverAdmin } = guards
      if (serverAdmin === true && !identity.isGrafanaAdmin) throw new ERR_PERMISSION_DENIED()
      if (orgRole !== undefined && !hasOrgRole(identity, orgRole)) throw new ERR_PERMISSION_DENIED()
    }
  }
  app.decorate('authentication', authentication)

  app.decorateRequest('identity', null)
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions
    if (route.url === undefined) return // 404s need no identity
    const mode = modeOf(route.url, route.config)
    if (mode === 'none') return
    const early = handedOver.get(request.raw)
    if (early !== undefined) handedOver.delete(request.raw)
    const identified = await (early ?? identify(request, reply))
    request.identity = identified.identity
    authentication.admits(identified, mode === 'required', route.config)
  })

  const cleanup = setInterval(() => { attempts.cleanup().catch(err => log.warn({ err }, 'login attempt cleanup failed')) }, 10 * 60_000)
  cleanup.unref()
  app.addHook('onClose', async () => { clearInterval(cleanup) })
}

export default fp(authPlugin, { name: 'auth', dependencies: ['config', 'metrics', 'db', 'cluster', 'accounts', 'sessions'] })

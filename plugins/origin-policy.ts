// One origin policy for the three places a browser's Origin is judged: CORS (may page X read
// our responses?), CSRF (may a cookie-carrying request from X change things?) and Live (may X
// open a websocket as the user?). Operators configure it in three Grafana-compatible keys; this
// object is the single place that combines them, so the rules cannot drift apart:
//
//   [cors] allowed_origins        CORS; with allow_credentials also trusted by CSRF and Live
//   [security] csrf_trusted_origins   CSRF only (Grafana's key)
//   [live] allowed_origins        Live only (Grafana's key)
//
// A page that may read the API with the user's cookie can already act as the user, so refusing
// it a POST or a websocket would protect nothing and break the app the operator allowed.
//
// It also owns what happens on a refusal: the log line, the refusal ring and counter, and the
// report-only modes ([security] csrf_report_only, [live] origin_report_only) that let a refused
// request through so operators see who a rule would refuse before it refuses anyone.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { checkLiveOrigin } from './origin-policy/live.js'
import { checkCorsOrigin } from './origin-policy/cors.js'
import { checkCsrf, trustedOriginSet, type CsrfInput } from './origin-policy/csrf.js'
import { explainOrigin, originHost, type OriginExplanation } from './origin-policy/doctor.js'
import { createRefusals, type OriginRefusals, type OriginSurface } from './origin-policy/refusals.js'
import type { OriginVerdict } from './origin-policy/rules.js'
import { ERR_LIVE_ORIGIN_NOT_ALLOWED } from './errors/codes.js'

export type { OriginVerdict, OriginExplanation }

export interface OriginPolicy {
  cors: (origin: string | undefined) => OriginVerdict
  csrf: (input: CsrfInput) => OriginVerdict
  live: (origin: string | undefined, host: string | undefined) => OriginVerdict
  /** The three verdicts for one origin, with the rule that decided each (the origin doctor). */
  explain: (origin: string, host: string | undefined) => OriginExplanation
  /**
   * A request the rule refused: recorded, and logged. Returns true when the refusal is enforced
   * (the caller refuses), false when the surface is report-only (the caller lets it through).
   */
  refuse: (surface: OriginSurface, request: FastifyRequest, verdict: OriginVerdict) => boolean
  /** The Live websocket's pre-upgrade origin check (a preValidation hook). */
  checkLiveUpgrade: (request: FastifyRequest) => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    originPolicy: OriginPolicy
    /** The last refusals and their totals (the origin-refusals API, /metrics, the activity page). */
    originRefusals: OriginRefusals
  }
}

async function originPolicyPlugin (app: FastifyInstance): Promise<void> {
  const { cors, live, security, server } = app.config
  const refusals = createRefusals()
  const log = app.log.child({ logger: 'origin-policy' })
  const liveLog = app.log.child({ logger: 'live' })
  const csrfLog = app.log.child({ logger: 'csrf' })
  const reportOnly: Record<OriginSurface, boolean> = { cors: false, csrf: security.csrfReportOnly, live: live.originReportOnly }

  const corsVerdict = (origin: string | undefined): OriginVerdict => checkCorsOrigin(origin, cors)
  /** The [cors] entry trusting the origin with credentials, when there is one. */
  const credentialed = (origin: string | undefined): OriginVerdict | undefined => {
    if (!cors.allowCredentials) return undefined
    const v = corsVerdict(origin)
    return v.allowed ? { allowed: true, rule: 'cors-credentials', ...(v.pattern !== undefined ? { pattern: v.pattern } : {}) } : undefined
  }
  const csrfPolicy = {
    trustedOrigins: trustedOriginSet(security.csrfTrustedOrigins),
    additionalHeaders: security.csrfAdditionalHeaders.map(h => h.toLowerCase())
  }
  // root_url and the patterns, as the "Origin check failed" log line shows them.
  const liveList = [...new Set([server.rootUrl.replace(/\/$/, ''), ...live.allowedOrigins, ...(cors.allowCredentials ? cors.allowedOrigins.map(p => p.text) : [])])].join(',')

  const policy: OriginPolicy = {
    cors: corsVerdict,
    csrf: input => {
      const verdict = checkCsrf(input, csrfPolicy)
      return verdict.rule === 'csrf-origin-mismatch' ? credentialed(input.origin) ?? verdict : verdict
    },
    live: (origin, host) => {
      const verdict = checkLiveOrigin(origin, host, server.rootUrl, live)
      return verdict.allowed ? verdict : credentialed(origin) ?? verdict
    },
    explain: (origin, host) => explainOrigin({ cors, live, csrfTrustedOrigins: security.csrfTrustedOrigins, policy }, origin, host),
    refuse (surface, request, verdict) {
      const origin = request.headers.origin ?? ''
      const path = request.url.split('?')[0]!
      const mode = reportOnly[surface] ? 'reported' : 'enforced'
      refusals.record({ surface, origin, method: request.method, path, rule: verdict.rule, mode })
      app.activity.originRefused(surface)
      if (mode === 'reported') {
        if (refusals.shouldLog(surface, origin)) log.warn({ surface, origin, rule: verdict.rule }, 'Origin would be refused')
        return false
      }
      if (surface === 'live') liveLog.warn({ origin, allowed: liveList }, 'Origin check failed')
      if (surface === 'csrf') csrfLog.warn({ origin, host: request.headers.host, path }, 'Origin check failed')
      return true
    },
    async checkLiveUpgrade (request) {
      const verdict = policy.live(request.headers.origin, request.headers.host)
      if (!verdict.allowed && policy.refuse('live', request, verdict)) throw new ERR_LIVE_ORIGIN_NOT_ALLOWED()
    }
  }
  app.decorate('originPolicy', policy)
  app.decorate('originRefusals', refusals)

  // CORS refusals are the browser's to enforce (the answer simply lacks Access-Control-Allow-Origin);
  // record them, preflights included, even while [cors] is empty: that is when a new browser app
  // first fails. Same-origin requests also carry an Origin and never need CORS; nor do websockets.
  const appOrigin = originOf(server.rootUrl)
  app.addHook('onRequest', (request, _reply, done) => {
    const origin = request.headers.origin
    if (origin === undefined || origin === appOrigin || request.headers.upgrade !== undefined) return done()
    const host = request.headers.host
    if (host !== undefined && originHost(origin) === host.toLowerCase()) return done()
    const verdict = corsVerdict(origin)
    if (!verdict.allowed) policy.refuse('cors', request, verdict)
    done()
  })
}

function originOf (url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

export default fp(originPolicyPlugin, { name: 'origin-policy', dependencies: ['config', 'activity'] })

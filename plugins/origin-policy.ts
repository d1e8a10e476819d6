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
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { checkLiveOrigin, type OriginVerdict } from './origin-policy/live.js'
import { checkCorsOrigin } from './origin-policy/cors.js'
import { checkCsrf, trustedOriginSet, type CsrfInput, type CsrfVerdict } from './csrf/check.js'

export type { OriginVerdict }

export interface LiveOriginVerdict extends OriginVerdict {
  /** root_url and the patterns, as the "Origin check failed" log line shows them. */
  allowed_list: string
}

export interface OriginPolicy {
  cors: (origin: string | undefined) => OriginVerdict
  csrf: (input: CsrfInput) => CsrfVerdict
  live: (origin: string | undefined, host: string | undefined) => LiveOriginVerdict
}

declare module 'fastify' {
  interface FastifyInstance {
    originPolicy: OriginPolicy
  }
}

async function originPolicyPlugin (app: FastifyInstance): Promise<void> {
  const { cors, live, security, server } = app.config
  const credentialed = (origin: string | undefined): boolean => cors.allowCredentials && checkCorsOrigin(origin, cors).allowed
  const csrfPolicy = {
    trustedOrigins: trustedOriginSet(security.csrfTrustedOrigins),
    additionalHeaders: security.csrfAdditionalHeaders.map(h => h.toLowerCase())
  }
  const liveList = [server.rootUrl.replace(/\/$/, ''), ...live.allowedOrigins, ...(cors.allowCredentials ? cors.allowedOrigins.map(p => p.text) : [])].join(',')

  app.decorate('originPolicy', {
    cors: origin => checkCorsOrigin(origin, cors),
    csrf: input => {
      const verdict = checkCsrf(input, csrfPolicy)
      return verdict === 'deny' && credentialed(input.origin) ? 'allow' : verdict
    },
    live: (origin, host) => {
      const verdict = checkLiveOrigin(origin, host, server.rootUrl, live)
      if (!verdict.allowed && credentialed(origin)) return { allowed: true, rule: checkCorsOrigin(origin, cors).rule, allowed_list: liveList }
      return { ...verdict, allowed_list: liveList }
    }
  } satisfies OriginPolicy)
}

export default fp(originPolicyPlugin, { name: 'origin-policy', dependencies: ['config'] })

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
import { checkCsrf, hostnameOf, originHostname, trustedOriginSet, type CsrfInput, type CsrfVerdict } from './csrf/check.js'

export type { OriginVerdict }

export interface LiveOriginVerdict extends OriginVerdict {
  /** root_url and the patterns, as the "Origin check failed" log line shows them. */
  allowed_list: string
}

export interface OriginExplanation {
  origin: string
  cors: OriginVerdict
  /** A cookie-authenticated POST from the origin to `host`. */
  csrf: OriginVerdict
  live: OriginVerdict
  /** ini lines (and their GF_ forms) that would let the origin through where it is refused. */
  config: string[]
}

export interface OriginPolicy {
  cors: (origin: string | undefined) => OriginVerdict
  csrf: (input: CsrfInput) => CsrfVerdict
  live: (origin: string | undefined, host: string | undefined) => LiveOriginVerdict
  /** The three verdicts for one origin, with the rule that decided each (the origin doctor). */
  explain: (origin: string, host: string | undefined) => OriginExplanation
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
  const liveList = [...new Set([server.rootUrl.replace(/\/$/, ''), ...live.allowedOrigins, ...(cors.allowCredentials ? cors.allowedOrigins.map(p => p.text) : [])])].join(',')

  const csrfVerdict = (origin: string, host: string | undefined): OriginVerdict => {
    const base = checkCsrf({ method: 'POST', hasLoginCookie: true, origin, host, header: () => undefined }, csrfPolicy)
    if (base === 'bad-host') return { allowed: false, rule: 'the request Host header is not valid' }
    if (base === 'allow') {
      const same = host !== undefined && originHostname(origin) === hostnameOf(host)
      return { allowed: true, rule: same ? 'Origin host equals the request Host' : '[security] csrf_trusted_origins' }
    }
    if (credentialed(origin)) return { allowed: true, rule: `${checkCorsOrigin(origin, cors).rule} (allow_credentials)` }
    return { allowed: false, rule: 'neither the request Host nor a trusted origin' }
  }

  const suggestions = (origin: string, v: { cors: OriginVerdict, csrf: OriginVerdict, live: OriginVerdict }): string[] => {
    const lines: string[] = []
    const add = (section: string, key: string, values: string[]) => {
      const value = values.join(', ')
      lines.push(`[${section}] ${key} = ${value}`, `GF_${section.toUpperCase()}_${key.toUpperCase()}="${value}"`)
    }
    if (!v.cors.allowed && checkCorsOrigin(origin, { allowAny: false, allowedOrigins: [] }).rule !== 'Origin is not a serialized origin (scheme://host[:port])' && origin !== 'null') {
      add('cors', 'allowed_origins', [...cors.allowedOrigins.map(p => p.text), origin])
      // With credentials (the default) the CORS entry is trusted by CSRF and Live as well.
      if (cors.allowCredentials) return lines
    }
    if (!v.csrf.allowed) add('security', 'csrf_trusted_origins', [...security.csrfTrustedOrigins, originHostname(origin) ?? origin])
    if (!v.live.allowed) add('live', 'allowed_origins', [...live.allowedOrigins, origin])
    return lines
  }

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
    },
    explain (origin, host) {
      const policy = app.originPolicy
      const { allowed_list: _list, ...liveVerdict } = policy.live(origin, host)
      // A page served by Gatehouse itself makes same-origin requests: the browser does no CORS.
      const sameOrigin = host !== undefined && parsedHost(origin) === host.toLowerCase()
      const corsVerdict = sameOrigin ? { allowed: true, rule: 'same origin as the request: browsers do not use CORS' } : policy.cors(origin)
      const verdicts = { cors: corsVerdict, csrf: csrfVerdict(origin, host), live: liveVerdict }
      return { origin, ...verdicts, config: suggestions(origin, verdicts) }
    }
  } satisfies OriginPolicy)
}

function parsedHost (origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

export default fp(originPolicyPlugin, { name: 'origin-policy', dependencies: ['config'] })

// The origin doctor: explains what the policy decides for one origin (the three verdicts, each
// with the rule that decided it) and which config lines would let it through. It reads the
// policy's rule codes, never its wording.
import { envVarName } from '../../config/raw.js'
import type { CorsConfig } from '../../config/cors.js'
import type { LiveConfig } from '../../config/live.js'
import { checkCorsOrigin } from './cors.js'
import { originHostname, type CsrfInput } from './csrf.js'
import { describeRule, type OriginVerdict } from './rules.js'

export interface ExplainedVerdict {
  allowed: boolean
  /** The deciding rule in words. */
  rule: string
}

export interface OriginExplanation {
  origin: string
  cors: ExplainedVerdict
  /** A cookie-authenticated POST from the origin to `host`. */
  csrf: ExplainedVerdict
  live: ExplainedVerdict
  /** ini lines (and their GF_ forms) that would let the origin through where it is refused. */
  config: string[]
}

export interface DoctorContext {
  cors: CorsConfig
  live: Pick<LiveConfig, 'allowedOrigins'>
  csrfTrustedOrigins: string[]
  policy: {
    cors: (origin: string | undefined) => OriginVerdict
    csrf: (input: CsrfInput) => OriginVerdict
    live: (origin: string | undefined, host: string | undefined) => OriginVerdict
  }
}

export function explainOrigin (ctx: DoctorContext, origin: string, host: string | undefined): OriginExplanation {
  const { policy } = ctx
  // A page served by Gatehouse itself makes same-origin requests: the browser does no CORS.
  const sameOrigin = host !== undefined && originHost(origin) === host.toLowerCase()
  const verdicts = {
    cors: sameOrigin ? { allowed: true, rule: 'cors-same-origin' as const } : policy.cors(origin),
    csrf: policy.csrf({ method: 'POST', hasLoginCookie: true, origin, host, header: () => undefined }),
    live: policy.live(origin, host)
  }
  const words = (v: OriginVerdict): ExplainedVerdict => ({ allowed: v.allowed, rule: describeRule(v) })
  return {
    origin,
    cors: words(verdicts.cors),
    csrf: words(verdicts.csrf),
    live: words(verdicts.live),
    config: suggestions(ctx, origin, verdicts)
  }
}

function suggestions (ctx: DoctorContext, origin: string, v: Record<'cors' | 'csrf' | 'live', OriginVerdict>): string[] {
  const lines: string[] = []
  // An Origin no URL can hold (null, garbage) is refused by every rule whatever the config says.
  if (originHost(origin) === undefined) return lines
  const add = (section: string, key: string, values: string[]) => {
    const value = values.join(', ')
    lines.push(`[${section}] ${key} = ${value}`, `${envVarName(section, key)}="${value}"`)
  }
  const corsListable = checkCorsOrigin(origin, { allowAny: false, allowedOrigins: [] }).rule === 'cors-list-empty'
  if (!v.cors.allowed && corsListable) {
    add('cors', 'allowed_origins', [...ctx.cors.allowedOrigins.map(p => p.text), origin])
    // With credentials (the default) the CORS entry is trusted by CSRF and Live as well.
    if (ctx.cors.allowCredentials) return lines
  }
  if (!v.csrf.allowed) add('security', 'csrf_trusted_origins', [...ctx.csrfTrustedOrigins, originHostname(origin) ?? origin])
  if (!v.live.allowed) add('live', 'allowed_origins', [...ctx.live.allowedOrigins, origin])
  return lines
}

/** host[:port] of an origin, as a Host header would carry it. */
export function originHost (origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

// The origin rules' outcomes as codes, and the one place that words them. The policy decides by
// code and the doctor reads codes, so rewording a message here changes no behaviour.
export type OriginRule =
  // shared by the three checks
  | 'no-origin'
  | 'same-host'
  // CORS
  | 'cors-same-origin'
  | 'cors-null-origin'
  | 'cors-not-serialized'
  | 'cors-any'
  | 'cors-listed'
  | 'cors-list-empty'
  | 'cors-not-listed'
  /** Allowed by a [cors] entry because allow_credentials is on (CSRF and Live). */
  | 'cors-credentials'
  // CSRF
  | 'csrf-safe-method'
  | 'csrf-no-login-cookie'
  | 'csrf-trusted-origin'
  | 'csrf-trusted-header'
  | 'csrf-bad-host'
  | 'csrf-origin-mismatch'
  // Live
  | 'live-any'
  | 'live-not-url'
  | 'live-no-host'
  | 'live-root-url'
  | 'live-listed'
  | 'live-not-listed'

export interface OriginVerdict {
  allowed: boolean
  rule: OriginRule
  /** The configured entry that matched (for listed rules), as the operator wrote it. */
  pattern?: string
}

const TEXT: Record<OriginRule, string> = {
  'no-origin': 'no Origin header',
  'same-host': 'Origin host equals the request Host',
  'cors-same-origin': 'same origin as the request: browsers do not use CORS',
  'cors-null-origin': 'Origin is "null" (sandboxed or file: page); never trusted',
  'cors-not-serialized': 'Origin is not a serialized origin (scheme://host[:port])',
  'cors-any': '[cors] allowed_origins = *',
  'cors-listed': '[cors] allowed_origins {pattern}',
  'cors-list-empty': '[cors] allowed_origins is empty',
  'cors-not-listed': 'not in [cors] allowed_origins',
  'cors-credentials': '[cors] allowed_origins {pattern} (allow_credentials)',
  'csrf-safe-method': 'safe method',
  'csrf-no-login-cookie': 'no login cookie: not an ambient credential',
  'csrf-trusted-origin': '[security] csrf_trusted_origins',
  'csrf-trusted-header': '[security] csrf_additional_headers',
  'csrf-bad-host': 'the request Host header is not valid',
  'csrf-origin-mismatch': 'neither the request Host nor a trusted origin',
  'live-any': '[live] allowed_origins = *',
  'live-not-url': 'Origin is not a URL',
  'live-no-host': 'Origin has no host',
  'live-root-url': '[server] root_url',
  'live-listed': '[live] allowed_origins {pattern}',
  'live-not-listed': 'no rule matched'
}

/** The human-readable sentence for a verdict: log lines, the origin doctor. */
export function describeRule (verdict: Pick<OriginVerdict, 'rule' | 'pattern'>): string {
  return TEXT[verdict.rule].replace('{pattern}', verdict.pattern ?? '')
}

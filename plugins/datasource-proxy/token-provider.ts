// OAuth2 tokens for plugin routes (tokenAuth: client_credentials and similar; jwtTokenAuth: the
// JWT-bearer grant). Cached per data source version and route, renewed 10 s before expiry, and
// single-flight: however many requests find the token cold or expiring, one token request is made.
// Tokens and secrets are never logged and never put in an error message.
import { createPrivateKey, createSign } from 'node:crypto'
import { request, type Dispatcher } from 'undici'

const RENEW_BEFORE_MS = 10_000
const MAX_TOKEN_RESPONSE = 1 << 20

export class TokenError extends Error {
  constructor (readonly route: string, readonly reason: string) {
    super(`Token request for route "${route}" failed: ${reason}`)
  }
}

interface Cached { token: string, expiresAt: number }

export interface TokenRequest {
  /** Names the route in errors. */
  route: string
  url: string
  form: Record<string, string>
}

function seconds (v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN
  return Number.isFinite(n) ? n : undefined
}

export class TokenProvider {
  private readonly cache = new Map<string, Cached>()
  private readonly inflight = new Map<string, Promise<string>>()

  constructor (private readonly dispatcher: Dispatcher, private readonly timeoutMs: number, private readonly now: () => number = Date.now) {}

  async token (key: string, req: () => TokenRequest): Promise<string> {
    const hit = this.cache.get(key)
    if (hit !== undefined && hit.expiresAt > this.now() + RENEW_BEFORE_MS) return hit.token
    let pending = this.inflight.get(key)
    if (pending === undefined) {
      pending = this.fetch(key, req()).finally(() => this.inflight.delete(key))
      this.inflight.set(key, pending)
    }
    return pending
  }

  /** Drops the tokens of one data source (it changed or was deleted). */
  forget (prefix: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key)
  }

  private async fetch (key: string, req: TokenRequest): Promise<string> {
    let res: Dispatcher.ResponseData
    try {
      res = await request(req.url, {
        dispatcher: this.dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(Object.entries(req.form).sort(([a], [b]) => a < b ? -1 : 1)).toString(),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs
      })
    } catch (err) {
      const code = (err as { code?: string }).code ?? ''
      throw new TokenError(
        req.route, code.includes('TIMEOUT') ? `token endpoint did not answer within ${this.timeoutMs / 1000}s` : 'token endpoint could not be reached'
      )
    }
    // Grafana ignores the status; an error page is not a token, so Gatehouse checks it.
    if (res.statusCode < 200 || res.statusCode > 299) {
      res.body.resume()
      throw new TokenError(req.route, `token endpoint answered ${res.statusCode}`)
    }
    let body: { access_token?: unknown, expires_on?: unknown, expires_in?: unknown }
    try {
      const text = await res.body.text()
      if (text.length > MAX_TOKEN_RESPONSE) throw new Error('too large')
      body = JSON.parse(text)
    } catch (err) {
      const code = (err as { code?: string }).code ?? ''
      throw new TokenError(req.route, code.includes('TIMEOUT')
        ? `token endpoint did not answer within ${this.timeoutMs / 1000}s`
        : `token endpoint answered ${res.statusCode} without a JSON token`)
    }
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new TokenError(req.route, `token endpoint answered ${res.statusCode} without an access_token`)
    }
    const on = seconds(body.expires_on)
    const inSeconds = seconds(body.expires_in)
    // expires_on wins over expires_in; neither means "use once" (renewed on the next request).
    const expiresAt = on !== undefined ? on * 1000 : inSeconds !== undefined ? this.now() + inSeconds * 1000 : this.now()
    this.cache.set(key, { token: body.access_token, expiresAt })
    return body.access_token
  }
}

/** The JWT-bearer grant (Google service accounts): an RS256 assertion signed with params.private_key. */
export function jwtBearerRequest (route: string, params: Record<string, string>, scopes: string[], now = Date.now()): TokenRequest {
  const tokenUri = params.token_uri ?? ''
  if (tokenUri === '' || (params.client_email ?? '') === '' || (params.private_key ?? '') === '') {
    throw new TokenError(route, 'jwtTokenAuth needs params client_email, private_key and token_uri')
  }
  const iat = Math.floor(now / 1000)
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: params.client_email, scope: scopes.join(' '), aud: tokenUri, iat, exp: iat + 3600 })}`
  let signature: string
  try {
    // Key files pasted from JSON often keep their newlines escaped.
    const key = createPrivateKey(params.private_key!.replaceAll('\\n', '\n'))
    // An EC key would sign too (ECDSA), and the assertion claims RS256.
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA')
    signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')
  } catch {
    throw new TokenError(route, 'jwtTokenAuth private_key is not a valid RSA private key')
  }
  return { route, url: tokenUri, form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${signature}` } }
}

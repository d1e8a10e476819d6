// Headers across the proxy. Outgoing: the caller's own credentials never reach a data source
// (Authorization, session and other cookies, auth-proxy headers); the data source's credentials
// are added instead. Incoming: upstream cookies and CORS headers are dropped, and the body is
// sandboxed (CSP) so an upstream page can never run as Gatehouse's origin.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

const HOP_BY_HOP = [
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect',
  'http2-settings'
]
const DROPPED_REQUEST = new Set([
  ...HOP_BY_HOP,
  'host', 'authorization', 'cookie', 'origin', 'referer', 'user-agent', 'x-ds-authorization', 'x-grafana-user',
  'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'x-forwarded-for'
])
const DROPPED_RESPONSE = new Set([...HOP_BY_HOP, 'set-cookie'])

export interface OutgoingContext {
  host: string
  clientIp: string
  userAgent: string
  /** jsonData.keepCookies: names, "prefix[]", or "[]" for all. */
  keepCookies: string[]
  loginCookie: string
  /** Auth-proxy headers (lower-case): identity assertions of the caller, never forwarded. */
  callerHeaders: Set<string>
}

/** Names listed in the Connection header (hop-by-hop by declaration), or undefined when there is none. */
function connectionListed (value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  return new Set(String(value).toLowerCase().split(',').map(s => s.trim()))
}

function keptCookies (cookie: string | undefined, keep: string[], loginCookie: string): string | undefined {
  if (cookie === undefined || keep.length === 0) return undefined
  const wanted = (name: string) => keep.some(k => k === '[]' || k === name || (k.endsWith('[]') && name.startsWith(k.slice(0, -2))))
  const pairs = cookie.split(';').map(p => p.trim()).filter(p => p !== '').map(p => [p.slice(0, Math.max(p.indexOf('='), 0)) || p, p] as const)
    // The session cookie is the caller's credential: never forwarded, whatever keepCookies says.
    .filter(([name]) => name !== loginCookie && !name.startsWith(`${loginCookie}_`) && wanted(name))
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  return pairs.length === 0 ? undefined : pairs.map(([, p]) => p).join('; ')
}

export function outgoingHeaders (incoming: IncomingHttpHeaders, ctx: OutgoingContext): Record<string, string | string[]> {
  const skip = connectionListed(incoming.connection)
  const out: Record<string, string | string[]> = {}
  for (const name in incoming) {
    const value = incoming[name]
    if (value === undefined || DROPPED_REQUEST.has(name) || skip?.has(name) === true || ctx.callerHeaders.has(name)) continue
    out[name] = value
  }
  out.host = ctx.host
  out['user-agent'] = ctx.userAgent
  const xff = incoming['x-forwarded-for']
  out['x-forwarded-for'] = xff === undefined || xff === '' ? ctx.clientIp : `${String(xff)}, ${ctx.clientIp}`
  const cookie = keptCookies(incoming.cookie, ctx.keepCookies, ctx.loginCookie)
  if (cookie !== undefined) out.cookie = cookie
  // The frontend's way to send a data-source credential through the proxy (Grafana's X-DS-Authorization).
  const ds = incoming['x-ds-authorization']
  if (typeof ds === 'string' && ds !== '') out.authorization = ds
  return out
}

/** jsonData.httpHeaderName1..N with secureJsonData.httpHeaderValue1..N, stopping at the first gap as Grafana. */
export function customHeaders (jsonData: Record<string, unknown>, secure: Record<string, string>, reserved: Set<string>): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 1; ; i++) {
    const name = jsonData[`httpHeaderName${i}`]
    if (typeof name !== 'string' || name.trim() === '') break
    const lower = name.trim().toLowerCase()
    if (reserved.has(lower) || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(lower)) continue
    out.push([lower, secure[`httpHeaderValue${i}`] ?? ''])
  }
  return out
}

/**
 * From undici's raw header list (name, value, …). Values are read as latin1, the encoding Node
 * writes header strings in, so the bytes the data source sent are the bytes the client gets.
 */
export function responseHeaders (raw: ReadonlyArray<Buffer | string>, own: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  let connection: string | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase()
    const value = raw[i + 1]!.toString('latin1')
    if (name === 'connection') connection = connection === undefined ? value : `${connection},${value}`
    if (DROPPED_RESPONSE.has(name) || name.startsWith('access-control-')) continue
    const prev = out[name] as string | string[] | undefined
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  if (connection !== undefined) {
    for (const listed of connectionListed(connection)!) if (Object.hasOwn(out, listed)) delete out[listed]
  }
  // Gatehouse's own headers (a rotated session cookie) survive; the upstream's cookies do not.
  for (const name in own) {
    const value = own[name]
    if (value !== undefined) out[name] = value
  }
  out['content-security-policy'] = 'sandbox'
  return out
}

// Everything decided before a proxied request leaves: the route, access to it, the target URL
// (route URL or data-source URL plus the remainder of the path, never above it), the whitelist,
// and the outgoing headers and body. Plain code: no Fastify, no sockets.
//
// What depends only on the data source and the route (target URL, whitelist verdict, templated
// headers, urlParams, body) is worked out once per resolved data source and route: a RoutePlan,
// kept as long as that resolved data source object (a changed data source is a new object).
import type { IncomingHttpHeaders } from 'node:http'
import type { Identity } from '../auth/identity.js'
import type { ResolvedDataSource } from '../datasources/service.js'
import type { Plugin, PluginRoute } from '../plugin-registry/compile.js'
import { ERR_DSP_BAD_PATH, ERR_DSP_BAD_URL, ERR_DSP_NOT_WHITELISTED, ERR_DSP_ROUTE_DENIED } from '../errors/codes.js'
import { joinPath, parseProxyPath, ProxyPathError, remainderAfter } from './path.js'
import { findRoute, mayUseRoute } from './match.js'
import { customHeaders, outgoingHeaders } from './headers.js'
import type { TemplateData } from './template.js'
import { withoutLoginCookie } from '../datasources/reserved-headers.js'

export interface ProxySettings {
  userAgent: string
  loginCookie: string
  callerHeaders: Set<string>
  /** Lower-case host:port entries; empty allows all. */
  whitelist: string[]
  sendUserHeader: boolean
}

export interface PreparedRequest {
  origin: string
  /** Path and query, as sent on the wire. */
  path: string
  headers: Record<string, string | string[]>
  /** A route's templated body; otherwise the caller's body is streamed. */
  body?: string
  route?: PluginRoute
  data: TemplateData
}

/** What a data source and one of its routes (or none) decide, whatever the request. */
export interface RoutePlan {
  /** Thrown on use, in the order prepare() checks: the URL first, then the whitelist. */
  error?: 'bad-url' | 'not-whitelisted'
  origin: string
  host: string
  pathname: string
  /** Match-segments the route URL consumes (0: the whole path goes to the data source URL). */
  consumed: number
  /** urlParams, encoded and joined with "&" ('' for none). */
  query: string
  keepCookies: string[]
  basicAuth?: string
  /** Route headers, then httpHeaderName1..N, applied in order (a later one wins). */
  headers: Array<[string, string]>
  body?: string
  data: TemplateData
}

export function whitelisted (url: URL, whitelist: string[]): boolean {
  if (whitelist.length === 0) return true
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80'
  return whitelist.includes(url.host.toLowerCase()) || whitelist.includes(`${url.hostname.toLowerCase()}:${port}`)
}

function parseTarget (text: string): URL | undefined {
  try {
    const url = new URL(/^[^:]*:\/\//.test(text) ? text : `http://${text}`)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

export function planRoute (ds: ResolvedDataSource, route: PluginRoute | undefined, s: ProxySettings): RoutePlan {
  const { row, secure } = ds
  const data: TemplateData = { JsonData: row.json_data, SecureJsonData: secure, URL: row.url }
  // A route with a URL replaces the data source URL and consumes its own path; without one, the
  // whole path goes to the data source URL (Grafana keeps the URL it built from the data source).
  const base = parseTarget(route?.url !== undefined ? route.url(data) : row.url)
  const keep = row.json_data.keepCookies
  const headers: Array<[string, string]> = (route?.headers ?? []).map(h => [h.name.toLowerCase(), h.content(data)])
  headers.push(...customHeaders(row.json_data, secure, s.callerHeaders))
  // Whatever their source (route, custom header), the auth proxy's headers and the login cookie
  // never leave: an upstream that is Gatehouse itself, or shares its auth proxy, would believe them.
  const sent = headers.filter(([name]) => !s.callerHeaders.has(name))
    .map(([name, value]): [string, string] => name === 'cookie' ? [name, withoutLoginCookie(value, s.loginCookie)] : [name, value])
    .filter(([name, value]) => name !== 'cookie' || value !== '')
  const body = route?.body?.(data)
  return {
    ...(base === undefined ? { error: 'bad-url' as const } : !whitelisted(base, s.whitelist) ? { error: 'not-whitelisted' as const } : {}),
    origin: base?.origin ?? '',
    host: base?.host ?? '',
    pathname: base?.pathname ?? '',
    consumed: route?.url !== undefined ? route.segments.length : 0,
    query: (route?.urlParams ?? []).map(p => `${encodeURIComponent(p.name(data))}=${encodeURIComponent(p.content(data))}`).join('&'),
    keepCookies: Array.isArray(keep) ? keep.filter((k): k is string => typeof k === 'string') : [],
    ...(row.basic_auth ? { basicAuth: 'Basic ' + Buffer.from(`${row.basic_auth_user}:${secure.basicAuthPassword ?? ''}`).toString('base64') } : {}),
    headers: sent,
    ...(body !== undefined ? { body } : {}),
    data
  }
}

/** RoutePlans per resolved data source object and route; they go when the data source object does. */
export class RoutePlans {
  private readonly plans = new WeakMap<ResolvedDataSource, Map<PluginRoute | undefined, RoutePlan>>()

  constructor (private readonly settings: ProxySettings) {}

  get (ds: ResolvedDataSource, route: PluginRoute | undefined): RoutePlan {
    let byRoute = this.plans.get(ds)
    if (byRoute === undefined) {
      byRoute = new Map()
      this.plans.set(ds, byRoute)
    }
    let plan = byRoute.get(route)
    if (plan === undefined) {
      plan = planRoute(ds, route, this.settings)
      byRoute.set(route, plan)
    }
    return plan
  }
}

export function prepare (req: { method: string, tail: string, query: string, headers: IncomingHttpHeaders, clientIp: string }, identity: Identity,
  ds: ResolvedDataSource, plugin: Plugin | undefined, s: ProxySettings, plans?: RoutePlans): PreparedRequest {
  let path
  try {
    path = parseProxyPath(req.tail)
  } catch (err) {
    if (err instanceof ProxyPathError) throw new ERR_DSP_BAD_PATH(err.message)
    throw err
  }
  const route = plugin === undefined ? undefined : findRoute(plugin.routes, req.method, path)
  if (route !== undefined && !mayUseRoute(route, identity)) throw new ERR_DSP_ROUTE_DENIED()

  const plan = plans?.get(ds, route) ?? planRoute(ds, route, s)
  if (plan.error === 'bad-url') throw new ERR_DSP_BAD_URL()
  const rest = remainderAfter(path, plan.consumed)
  if (rest === undefined) throw new ERR_DSP_BAD_PATH('an encoded slash crosses the route path')
  if (plan.error === 'not-whitelisted') throw new ERR_DSP_NOT_WHITELISTED()

  const query = plan.query === '' ? req.query : req.query === '' ? plan.query : `${req.query}&${plan.query}`
  const headers = outgoingHeaders(req.headers, {
    host: plan.host,
    clientIp: req.clientIp,
    userAgent: s.userAgent,
    keepCookies: plan.keepCookies,
    loginCookie: s.loginCookie,
    callerHeaders: s.callerHeaders
  })
  if (plan.basicAuth !== undefined) {
    headers.authorization = plan.basicAuth
    if (typeof req.headers['x-ds-authorization'] === 'string' && req.headers['x-ds-authorization'] !== '') {
      headers.authorization = req.headers['x-ds-authorization']
    }
  }
  if (s.sendUserHeader && identity.kind !== 'api-key' && !s.callerHeaders.has('x-grafana-user')) headers['x-grafana-user'] = identity.login
  for (const [name, value] of plan.headers) headers[name] = value

  if (plan.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(plan.body))
    delete headers['transfer-encoding']
  }
  const fullPath = joinPath(plan.pathname, rest) + (query === '' ? '' : `?${query}`)
  return {
    origin: plan.origin,
    path: fullPath,
    headers,
    ...(plan.body !== undefined ? { body: plan.body } : {}),
    ...(route !== undefined ? { route } : {}),
    data: plan.data
  }
}

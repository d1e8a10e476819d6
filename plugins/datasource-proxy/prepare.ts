// Everything decided before a proxied request leaves: the route, access to it, the target URL
// (route URL or data-source URL plus the remainder of the path, never above it), the whitelist,
// and the outgoing headers and body. Plain code: no Fastify, no sockets.
import type { IncomingHttpHeaders } from 'node:http'
import type { Identity } from '../auth/identity.js'
import type { ResolvedDataSource } from '../datasources/service.js'
import type { Plugin, PluginRoute } from '../plugin-registry/compile.js'
import { ERR_DSP_BAD_PATH, ERR_DSP_BAD_URL, ERR_DSP_NOT_WHITELISTED, ERR_DSP_ROUTE_DENIED } from '../errors/codes.js'
import { joinPath, parseProxyPath, ProxyPathError, remainderAfter } from './path.js'
import { findRoute, mayUseRoute } from './match.js'
import { customHeaders, outgoingHeaders } from './headers.js'
import type { TemplateData } from './template.js'

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

export function whitelisted (url: URL, whitelist: string[]): boolean {
  if (whitelist.length === 0) return true
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80'
  return whitelist.includes(url.host.toLowerCase()) || whitelist.includes(`${url.hostname.toLowerCase()}:${port}`)
}

function parseTarget (text: string): URL {
  try {
    const url = new URL(/^[^:]*:\/\//.test(text) ? text : `http://${text}`)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
    return url
  } catch {
    throw new ERR_DSP_BAD_URL()
  }
}

export function prepare (req: { method: string, tail: string, query: string, headers: IncomingHttpHeaders, clientIp: string }, identity: Identity,
  ds: ResolvedDataSource, plugin: Plugin | undefined, s: ProxySettings): PreparedRequest {
  let path
  try {
    path = parseProxyPath(req.tail)
  } catch (err) {
    if (err instanceof ProxyPathError) throw new ERR_DSP_BAD_PATH(err.message)
    throw err
  }
  const route = findRoute(plugin?.routes ?? [], req.method, path)
  if (route !== undefined && !mayUseRoute(route, identity)) throw new ERR_DSP_ROUTE_DENIED()

  const { row, secure } = ds
  const data: TemplateData = { JsonData: row.json_data, SecureJsonData: secure, URL: row.url }
  // A route with a URL replaces the data source URL and consumes its own path; without one, the
  // whole path goes to the data source URL (Grafana keeps the URL it built from the data source).
  const base = parseTarget(route?.url !== undefined ? route.url(data) : row.url)
  const rest = remainderAfter(path, route?.url !== undefined ? route.segments.length : 0)
  if (rest === undefined) throw new ERR_DSP_BAD_PATH('an encoded slash crosses the route path')
  if (!whitelisted(base, s.whitelist)) throw new ERR_DSP_NOT_WHITELISTED()

  let query = req.query
  for (const p of route?.urlParams ?? []) {
    query += `${query === '' ? '' : '&'}${encodeURIComponent(p.name(data))}=${encodeURIComponent(p.content(data))}`
  }
  const keep = row.json_data.keepCookies
  const headers = outgoingHeaders(req.headers, {
    host: base.host,
    clientIp: req.clientIp,
    userAgent: s.userAgent,
    keepCookies: Array.isArray(keep) ? keep.filter((k): k is string => typeof k === 'string') : [],
    loginCookie: s.loginCookie,
    callerHeaders: s.callerHeaders
  })
  if (row.basic_auth) {
    headers.authorization = 'Basic ' + Buffer.from(`${row.basic_auth_user}:${secure.basicAuthPassword ?? ''}`).toString('base64')
    if (typeof req.headers['x-ds-authorization'] === 'string' && req.headers['x-ds-authorization'] !== '') headers.authorization = req.headers['x-ds-authorization']
  }
  if (s.sendUserHeader && identity.kind !== 'api-key') headers['x-grafana-user'] = identity.login
  for (const h of route?.headers ?? []) headers[h.name.toLowerCase()] = h.content(data)
  for (const [name, value] of customHeaders(row.json_data, secure, s.callerHeaders)) headers[name] = value

  let body: string | undefined
  if (route?.body !== undefined) {
    body = route.body(data)
    headers['content-length'] = String(Buffer.byteLength(body))
    delete headers['transfer-encoding']
  }
  const fullPath = joinPath(base.pathname, rest) + (query === '' ? '' : `?${query}`)
  return { origin: base.origin, path: fullPath, headers, ...(body !== undefined ? { body } : {}), ...(route !== undefined ? { route } : {}), data }
}

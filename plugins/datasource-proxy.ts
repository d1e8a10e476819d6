// The data-source proxy: decorates `dataSourceProxy.handle(request, reply, ref)` for the proxy
// routes. One undici Agent (keep-alive pools per upstream origin), one token cache and one cache of
// route plans (what a data source and route decide whatever the request) per process.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { Agent } from 'undici'
import { VERSION } from './version.js'
import { ERR_BODY_TOO_LARGE, ERR_DSP_NOT_FOUND, ERR_DSP_NOT_WHITELISTED } from './errors/codes.js'
import { parseDataSourceRef } from './datasources/validate.js'
import { authProxyHeaders } from './datasources/reserved-headers.js'
import { prepare, RoutePlans, whitelisted, type PreparedRequest, type ProxySettings } from './datasource-proxy/prepare.js'
import { forward } from './datasource-proxy/forward.js'
import { jwtBearerRequest, TokenError, TokenProvider, type TokenRequest } from './datasource-proxy/token-provider.js'
import type { ResolvedDataSource } from './datasources/service.js'
import type { Identity } from './auth/identity.js'

type DataSourceRef = { id: string } | { uid: string }

/** What the proxy reads of a request before sending it: a Fastify request's, or a raw one's (the early path). */
export interface ProxyRequest { method: string, url: string, headers: IncomingHttpHeaders, ip: string }

/** A request ready to go: its identity, data source, outgoing request, and the token it still needs (if its route has one). */
export interface Ready {
  identity: Identity
  ds: ResolvedDataSource
  prepared: PreparedRequest
  routeName: string
  token: (() => TokenRequest) | undefined
}

export interface DataSourceProxy {
  /** The Fastify route's handler. */
  handle (request: FastifyRequest, reply: FastifyReply, ref: DataSourceRef): Promise<void>
  ready (request: ProxyRequest, identity: Identity, ref: DataSourceRef): Promise<Ready>
  /** For a request without a token to fetch (the early path sends only those). */
  send (r: Ready, req: IncomingMessage, res: ServerResponse, own: OutgoingHttpHeaders, elapsedMs: () => number): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    dataSourceProxy: DataSourceProxy
  }
}

// The client socket outlives the data-proxy timeout by this much, so the 504 JSON can still be written.
const SOCKET_GRACE_MS = 5_000

const PROXY_PREFIX = /\/api\/+datasources\/+proxy\/+(?:uid\/+)?[^/?]+/

function timeoutOf (jsonData: Record<string, unknown>, fallbackMs: number): number {
  const t = jsonData.timeout
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t.trim()) ? Number(t) : 0
  return n > 0 ? n * 1000 : fallbackMs
}

async function dataSourceProxyPlugin (app: FastifyInstance): Promise<void> {
  const { dataProxy, authProxy, auth } = app.config
  const maxBodyBytes = app.config.server.maxBodyBytes
  const log = app.log.child({ logger: 'data-proxy' })
  const agent = new Agent({
    keepAliveTimeout: dataProxy.keepAliveMs,
    connect: { timeout: dataProxy.dialTimeoutMs },
    ...(dataProxy.maxConnsPerHost > 0 ? { connections: dataProxy.maxConnsPerHost } : {})
  })
  app.addHook('onClose', async () => { await agent.close() })
  const tokens = new TokenProvider(agent, dataProxy.timeoutMs)
  app.dataSources.onChange(row => tokens.forget(`${row.id}/`))

  const settings: ProxySettings = {
    userAgent: `Gatehouse/${VERSION}`,
    loginCookie: auth.loginCookieName,
    callerHeaders: authProxyHeaders(authProxy),
    whitelist: dataProxy.whitelist,
    sendUserHeader: dataProxy.sendUserHeader
  }
  const plans = new RoutePlans(settings)

  function tokenRequest (prepared: PreparedRequest): (() => TokenRequest) | undefined {
    const route = prepared.route
    const spec = route?.tokenAuth ?? route?.jwtTokenAuth
    if (route === undefined || spec === undefined) return undefined
    return () => {
      const params = Object.fromEntries(spec.params.map(([k, v]) => [k, v(prepared.data)]))
      const req = route.tokenAuth !== undefined
        ? { route: route.path, url: spec.url(prepared.data), form: params }
        : jwtBearerRequest(route.path, params, spec.scopes)
      let url: URL
      try {
        url = new URL(req.url)
      } catch {
        throw new TokenError(route.path, 'the token URL is not a valid URL')
      }
      if (!whitelisted(url, settings.whitelist)) throw new ERR_DSP_NOT_WHITELISTED()
      return req
    }
  }

  /** What is decided before anything is sent: the data source, the route and the outgoing request. Throws the refusal. */
  async function ready (request: ProxyRequest, identity: Identity, ref: DataSourceRef): Promise<Ready> {
    // Bodies stream through unparsed, so Fastify's bodyLimit never sees them: a declared length
    // over [server] max_body_bytes is refused before anything is sent (forward() caps a chunked one).
    const declared = request.headers['content-length']
    if (declared !== undefined && Number(declared) > maxBodyBytes) throw new ERR_BODY_TOO_LARGE(maxBodyBytes)
    const ds: ResolvedDataSource | undefined = await app.dataSources.resolve(identity.orgId, parseDataSourceRef(ref))
    if (ds === undefined) throw new ERR_DSP_NOT_FOUND()

    const raw = request.url
    const q = raw.indexOf('?')
    const pathPart = q < 0 ? raw : raw.slice(0, q)
    const m = PROXY_PREFIX.exec(pathPart)
    const tail = m === null ? '' : pathPart.slice(m.index + m[0].length)
    const prepared = prepare({ method: request.method, tail, query: q < 0 ? '' : raw.slice(q + 1), headers: request.headers, clientIp: request.ip },
      identity, ds, app.pluginRegistry.get(ds.row.type), settings, plans)
    return { identity, ds, prepared, routeName: prepared.route?.path ?? '', token: tokenRequest(prepared) }
  }

  /** Sends a ready request and streams the answer into `res` (a 502/504 JSON when the upstream fails). */
  async function send (r: Ready, req: IncomingMessage, res: ServerResponse, own: OutgoingHttpHeaders, elapsedMs: () => number): Promise<void> {
    const { identity, ds } = r
    const timeoutMs = timeoutOf(ds.row.json_data, dataProxy.timeoutMs)
    // A proxied request lives by the data-proxy timeout, not [server] read_timeout (the socket's idle
    // timeout): else a slow data source meets an empty reply before its answer or the 504. Node puts
    // the server's timeout back when the next request arrives on this connection.
    const idle = app.server.timeout
    const socket = req.socket as Partial<Socket>
    // socket.setTimeout is absent on app.inject's socket
    if (idle > 0 && idle <= timeoutMs + SOCKET_GRACE_MS && socket.setTimeout !== undefined) socket.setTimeout(timeoutMs + SOCKET_GRACE_MS)
    const outcome = await forward(agent, r.prepared, req, res, own, timeoutMs, maxBodyBytes)
    // What the client got (a 502/504 written for a failed upstream included); 499: it went away first.
    app.activity.proxied(identity.orgId, ds.row.uid, ds.row.name, 'error' in outcome && outcome.error === 'aborted' ? 499 : res.statusCode, elapsedMs())
    if ('error' in outcome) {
      log.warn({ datasource: ds.row.uid, route: r.routeName, method: req.method, error: outcome.error, code: outcome.code }, 'Proxy request failed')
    } else if (dataProxy.logging) {
      log.info({
        datasource: ds.row.uid,
        route: r.routeName,
        method: req.method,
        status: outcome.status,
        userId: identity.userId ?? 0,
        orgId: identity.orgId
      }, 'Proxying incoming request')
    }
  }

  async function handle (request: FastifyRequest, reply: FastifyReply, ref: DataSourceRef): Promise<void> {
    const r = await ready({ method: request.method, url: request.raw.url ?? '', headers: request.headers, ip: request.ip }, request.identity!, ref)
    if (r.token !== undefined) {
      const { identity, ds, prepared } = r
      const route = prepared.route!
      try {
        const token = await tokens.token(`${ds.row.id}/${ds.row.version}/${ds.row.updated.getTime()}/${route.path}/${route.method}`, r.token)
        prepared.headers.authorization = `Bearer ${token}`
      } catch (err) {
        if (!(err instanceof TokenError)) throw err
        log.warn({ datasource: ds.row.uid, route: r.routeName, reason: err.reason }, 'Failed to get access token')
        app.activity.tokenFailed(identity.orgId, ds.row.uid, ds.row.name)
        app.activity.proxied(identity.orgId, ds.row.uid, ds.row.name, 502, reply.elapsedTime)
        return reply.code(502).send({ message: err.message })
      }
    }
    reply.hijack()
    await send(r, request.raw, reply.raw, reply.getHeaders() as OutgoingHttpHeaders, () => reply.elapsedTime)
  }

  app.decorate('dataSourceProxy', { handle, ready, send })
}

export default fp(dataSourceProxyPlugin, { name: 'datasource-proxy', dependencies: ['config', 'datasources', 'plugin-registry', 'activity'] })

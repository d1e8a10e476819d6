// The data-source proxy's early path: a proxied GET that carries nothing but its credentials is
// served before Fastify's router and hooks (on this path they cost more than the proxying itself),
// by the same code those would run: the auth pipeline and route guards (plugins/auth.ts), the CSRF
// rule (origin policy), the proxy's ready()/send(), the request metric and the request log line.
// Whatever else a request brings is a feature this path does not handle, so Fastify gets the
// request untouched and answers as it always has: a cookie (session, CSRF), an Origin (CORS
// refusals), an Upgrade, a body, a targetOrgId query, an unusual URL, any refusal, a route with a
// token to fetch; also everything while CORS or the auth proxy is configured, or Fastify is closing.
// An identity found here goes over with the request, so no authentication runs twice.
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AuthRequest, SessionCookieWriter } from '../auth/provider.js'
import type { Identified } from '../auth.js'

const INTERNAL_ERROR = JSON.stringify({ message: 'Internal server error' })

/** The route this path stands in for: its URL prefix (root_url's path or '') and its guards. */
export interface EarlyRoute { prefix: string, guards: FastifyContextConfig }

interface Target { ref: { id: string } | { uid: string }, handler: string }

// The two wildcard routes, with a plain reference and a non-empty remainder. Anything the router
// might read otherwise (encoded or doubled slashes, a bare reference, a trailing slash) is its to decide.
function targetOf (url: string, prefix: string): Target | undefined {
  const base = `${prefix}/api/datasources/proxy/`
  if (!url.startsWith(base)) return undefined
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  if (path.includes('//') || path.includes('#')) return undefined
  let rest = path.slice(base.length)
  const byUid = rest.startsWith('uid/')
  if (byUid) rest = rest.slice(4)
  const slash = rest.indexOf('/')
  if (slash <= 0 || slash === rest.length - 1) return undefined
  const ref = rest.slice(0, slash)
  if (ref.includes('%')) return undefined
  return byUid ? { ref: { uid: ref }, handler: `${base}uid/:uid/*` } : { ref: { id: ref }, handler: `${base}:id/*` }
}

/** Could the query name an org (?targetOrgId=, read by authentication), however it is encoded? */
function mayNameOrg (url: string): boolean {
  const q = url.indexOf('?')
  if (q < 0) return false
  const query = url.slice(q + 1)
  if (/orgid/i.test(query)) return true
  if (!query.includes('%')) return false
  try {
    return /orgid/i.test(decodeURIComponent(query))
  } catch {
    return true
  }
}

// Cookies decline this path, so neither method that writes one (session, auth proxy) can run here.
const NO_COOKIES: SessionCookieWriter = {
  setSessionCookie () { throw new Error('the early proxy path sets no cookie') },
  clearSessionCookie () { throw new Error('the early proxy path sets no cookie') }
}

export function installEarlyPath (app: FastifyInstance, route: EarlyRoute): void {
  const { cors, authProxy } = app.config
  if (cors.allowAny || cors.allowedOrigins.length > 0 || authProxy.enabled) return
  const server = app.server
  const [fastify, ...others] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>
  if (fastify === undefined || others.length > 0) return
  const toFastify = fastify
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  const { authentication, dataSourceProxy, metrics, requestLog, originPolicy } = app

  function eligible (req: IncomingMessage): boolean {
    const h = req.headers
    if (closing || req.method !== 'GET' || h.cookie !== undefined || h.origin !== undefined || h.upgrade !== undefined) return false
    if (h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0')) return false
    const header = (name: string): string | undefined => { const v = h[name]; return Array.isArray(v) ? v[0] : v }
    return originPolicy.csrf({ method: 'GET', hasLoginCookie: false, origin: undefined, host: h.host, header }).allowed
  }

  async function serve (req: IncomingMessage, res: ServerResponse, target: Target, start: number): Promise<void> {
    const url = req.url!
    const ip = req.socket.remoteAddress ?? ''
    const request: AuthRequest = { headers: req.headers, query: {}, ip, url, socket: req.socket, cookies: {} }
    const identifying = authentication.identify(request, NO_COOKIES)
    let identified: Identified
    let ready
    try {
      identified = await identifying
      authentication.admits(identified, true, route.guards)
      ready = await dataSourceProxy.ready({ method: 'GET', url, headers: req.headers, ip }, identified.identity!, target.ref)
    } catch {
      ready = undefined
    }
    if (ready === undefined || ready.token !== undefined) {
      // Fastify answers (the refusal, or the route's token): with the identity this path found.
      authentication.handOver(req, identifying)
      toFastify(req, res)
      return
    }
    const elapsedMs = () => performance.now() - start
    // When Fastify's onResponse hooks would run, with what they would record.
    const finished = () => {
      res.off('finish', finished)
      res.off('error', finished)
      const elapsed = elapsedMs()
      metrics.observeRequest(target.handler, 'GET', res.statusCode, elapsed)
      requestLog.completed({
        identity: identified.identity,
        method: 'GET',
        url,
        status: res.statusCode,
        remoteAddr: ip,
        elapsedMs: elapsed,
        size: res.getHeader('content-length'),
        databaseUnavailable: false
      })
    }
    res.on('finish', finished)
    res.on('error', finished)
    await dataSourceProxy.send(ready, req, res, {}, elapsedMs)
  }

  server.removeListener('request', toFastify)
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = targetOf(req.url ?? '', route.prefix)
    if (target === undefined || mayNameOrg(req.url!) || !eligible(req)) return toFastify(req, res)
    serve(req, res, target, performance.now()).catch(err => {
      app.log.error({ logger: 'data-proxy', err }, 'Proxy request failed')
      // The errors plugin's answer to the unexpected, as the route would give; mid-answer, only a cut.
      if (res.headersSent) return res.destroy()
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(INTERNAL_ERROR)
    })
  })
}

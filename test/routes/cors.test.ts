// CORS: none by default (Grafana), an explicit allowlist when configured, preflights answered
// before authentication, and the same origin trusted by CSRF when credentials are allowed.
import t from 'tap'
import { build, ADMIN, sessionCookie } from '../helpers/build.js'
import { ConfigError } from '../../config/errors.js'
import { loadConfig } from '../../config/load.js'

const APP = 'https://app.example.com'
const preflight = (origin: string, extra: Record<string, string> = {}) => ({
  method: 'OPTIONS' as const,
  url: '/api/search',
  headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization', ...extra }
})
const corsHeaders = (h: Record<string, unknown>) => Object.keys(h).filter(k => k.startsWith('access-control-'))

t.test('default: no Access-Control-* header anywhere, preflight is not answered', async t => {
  const { app } = await build(t)
  const pre = await app.inject(preflight(APP))
  t.equal(pre.statusCode, 404, 'like Grafana, there is no preflight handler')
  t.same(corsHeaders(pre.headers), [])
  const real = await app.inject({ method: 'GET', url: '/api/org', headers: { origin: APP, authorization: ADMIN } })
  t.equal(real.statusCode, 200, 'server-side callers work as before')
  t.same(corsHeaders(real.headers), [], 'no CORS headers on real responses')
  const err = await app.inject({ method: 'GET', url: '/api/org', headers: { origin: APP } })
  t.same(corsHeaders(err.headers), [], 'nor on errors')
})

t.test('allowlist: preflight from an allowed origin is answered without authentication', async t => {
  const { app } = await build(t, { cors: { allowed_origins: `${APP}, https://*.example.org` } })
  const res = await app.inject(preflight(APP))
  t.equal(res.statusCode, 204)
  t.equal(res.headers['access-control-allow-origin'], APP, 'echoes the origin, never *')
  t.equal(res.headers['access-control-allow-credentials'], 'true')
  t.equal(res.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, PATCH, DELETE')
  t.equal(res.headers['access-control-allow-headers'], 'Authorization, Content-Type, X-Grafana-Org-Id, X-Grafana-Device-Id, X-Requested-With')
  t.equal(res.headers['access-control-max-age'], '600')
  t.match(res.headers.vary, /Origin/)
  t.equal(res.headers['access-control-allow-private-network'], undefined, 'private network access is off by default')
  t.notOk('access-control-expose-headers' in res.headers, 'no empty Expose-Headers when none are configured')
  t.equal(res.body, '')

  const sub = await app.inject(preflight('https://a.b.example.org'))
  t.equal(sub.headers['access-control-allow-origin'], 'https://a.b.example.org', 'wildcard matches nested subdomains')
})

t.test('allowlist: refused origins get no ACAO and a debug log saying why', async t => {
  const { app, logs } = await build(t, { cors: { allowed_origins: `${APP} https://*.example.org` } })
  for (const origin of ['https://evil.com', 'null', 'https://example.org', 'https://evilexample.org', 'https://example.org.evil.com',
    'http://app.example.com', 'https://app.example.com:8443', 'https://app.example.com/', 'https://user@app.example.com']) {
    const res = await app.inject(preflight(origin))
    t.equal(res.headers['access-control-allow-origin'], undefined, `${origin}: no ACAO`)
    t.equal(res.statusCode, 404, `${origin}: preflight not answered`)
    t.match(res.headers['content-type'], /json/, `${origin}: JSON body`)
  }
  t.ok(logs.some(l => l.includes('logger=cors') && l.includes('origin=https://evil.com') && l.includes('not in [cors] allowed_origins')), 'debug line names the reason')
  t.ok(logs.some(l => l.includes('origin=null') && l.includes('never trusted')), 'null origin explained')
})

t.test('allowlist: real requests carry ACAO on success and on errors', async t => {
  const { app } = await build(t, { cors: { allowed_origins: APP, exposed_headers: 'X-Total-Count' } })
  const ok = await app.inject({ method: 'GET', url: '/api/org', headers: { origin: APP, authorization: ADMIN } })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['access-control-allow-origin'], APP)
  t.equal(ok.headers['access-control-expose-headers'], 'X-Total-Count')
  t.match(ok.headers.vary, /Origin/)
  const denied = await app.inject({ method: 'GET', url: '/api/org', headers: { origin: APP } })
  t.equal(denied.statusCode, 401)
  t.equal(denied.headers['access-control-allow-origin'], APP, 'the browser can read the 401 and its message')
  const noMaxAge = await build(t, { cors: { allowed_origins: APP, max_age: -1 } })
  const pre = await noMaxAge.app.inject(preflight(APP))
  t.notOk('access-control-max-age' in pre.headers, 'max_age = -1 sends no Max-Age')
  const other = await app.inject({ method: 'GET', url: '/api/org', headers: { origin: 'https://evil.com', authorization: ADMIN } })
  t.equal(other.statusCode, 200, 'CORS is the browser\'s check; the server still answers a server-side caller')
  t.equal(other.headers['access-control-allow-origin'], undefined)
})

t.test('allow_private_network answers only when enabled and asked', async t => {
  const { app } = await build(t, { cors: { allowed_origins: APP, allow_private_network: true, max_age: 60 } })
  const asked = await app.inject(preflight(APP, { 'access-control-request-private-network': 'true' }))
  t.equal(asked.headers['access-control-allow-private-network'], 'true')
  t.equal(asked.headers['access-control-max-age'], '60')
  const notAsked = await app.inject(preflight(APP))
  t.equal(notAsked.headers['access-control-allow-private-network'], undefined)
  const otherOrigin = await app.inject(preflight('https://evil.com', { 'access-control-request-private-network': 'true' }))
  t.equal(otherOrigin.headers['access-control-allow-private-network'], undefined)
})

t.test('allow_credentials = false with *: any origin, no credentials header', async t => {
  const { app } = await build(t, { cors: { allowed_origins: '*', allow_credentials: false } })
  const res = await app.inject(preflight('https://anything.test'))
  t.equal(res.statusCode, 204)
  t.equal(res.headers['access-control-allow-origin'], 'https://anything.test')
  t.equal(res.headers['access-control-allow-credentials'], undefined)
  const nul = await app.inject(preflight('null'))
  t.equal(nul.headers['access-control-allow-origin'], undefined, 'null stays refused even with *')
})

t.test('a credentialed CORS origin is trusted by CSRF too; others are not', async t => {
  const { app } = await build(t, { cors: { allowed_origins: APP } })
  const token = sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
  const post = (origin: string) => app.inject({
    method: 'PUT',
    url: '/api/org',
    headers: { origin, host: 'gatehouse.internal:3000' },
    cookies: { grafana_session: token },
    payload: { name: `Org via ${origin}` }
  })
  const allowed = await post(APP)
  t.equal(allowed.statusCode, 200, 'the allowed app may change things with the cookie')
  const evil = await post('https://evil.com')
  t.equal(evil.statusCode, 403)
  t.same(evil.json(), { message: 'origin not allowed' })
  const org = await app.inject({ method: 'GET', url: '/api/org', headers: { authorization: ADMIN } })
  t.equal(org.json().name, `Org via ${APP}`, 'only the allowed origin\'s change was stored')
})

t.test('bad [cors] config refuses to start, naming the key and the value', async t => {
  const load = (cors: Record<string, string>) => () => loadConfig({ argv: [], cwd: '/tmp', env: {}, overrides: { cors } })
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ allowed_origins: '*' }, /\[cors\] allowed_origins = "\*": .*allow_credentials = false/],
    [{ allowed_origins: '*', allow_credentials: 'true' }, /allow_credentials/],
    [{ allowed_origins: 'app.example.com' }, /"app.example.com" must be an origin/],
    [{ allowed_origins: 'https://app.example.com/path' }, /must be an origin/],
    [{ allowed_origins: 'https://*example.com' }, /\* only as the first label/],
    [{ allowed_origins: 'https://a.*.example.com' }, /\* only as the first label/],
    [{ allowed_origins: 'https://*.com' }, /at least two labels/],
    [{ allowed_origins: '* https://a.com', allow_credentials: 'false' }, /list nothing else/],
    [{ allowed_origins: 'https://a.com', allowed_headers: 'Bad Header:' }, /\[cors\] allowed_headers .*is not a header/],
    [{ allowed_origins: 'https://a.com', max_age: 'ten' }, /\[cors\] max_age = "ten": must be an integer/]
  ]
  for (const [cors, message] of cases) t.throws(load(cors), { name: ConfigError.name, message }, JSON.stringify(cors))
  t.doesNotThrow(load({ allowed_origins: '*', allow_credentials: 'false' }))
})

t.test('proxied data-source responses get Gatehouse\'s CORS headers, never the upstream\'s', async t => {
  const { upstream, createDataSource } = await import('../helpers/datasources.js')
  const { app } = await build(t, { cors: { allowed_origins: APP } })
  const ds = await upstream(t, (_req, res) => {
    res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'TRACE', 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
  const { id } = await createDataSource(app, { name: 'Upstream', type: 'x', url: ds.url })
  const res = await app.inject({ method: 'GET', url: `/api/datasources/proxy/${id}/data`, headers: { origin: APP, authorization: ADMIN } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { ok: true })
  t.equal(res.headers['access-control-allow-origin'], APP, 'the allowlisted origin, not the upstream\'s *')
  t.equal(res.headers['access-control-allow-methods'], undefined, 'upstream Access-Control-* is filtered')
  t.equal(ds.seen[0]?.headers.origin, undefined, 'the Origin is not forwarded upstream')
  const evil = await app.inject({ method: 'GET', url: `/api/datasources/proxy/${id}/data`, headers: { origin: 'https://evil.com', authorization: ADMIN } })
  t.equal(evil.headers['access-control-allow-origin'], undefined)
})

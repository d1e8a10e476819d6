// The proxy's early path (plugins/datasource-proxy/early.ts) answers over a real socket exactly as
// the Fastify route does (app.inject always takes the route): status, headers, body, what the data
// source receives, the request metric, the log line and the activity; and it hands every request
// it does not handle to Fastify unchanged, authenticated once.
import t from 'tap'
import { request } from 'undici'
import { ADMIN, basic, build, sessionCookie, type TestContext } from '../helpers/build.js'
import { createDataSource, rawGet, tempDir, upstream, writePlugin } from '../helpers/datasources.js'

async function proxyApp (t: TestContext, overrides: Record<string, Record<string, string | number | boolean>> = {}) {
  const up = await upstream(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes', 'set-cookie': 'up=1', connection: 'x-drop', 'x-drop': '1' })
    res.end(JSON.stringify({ path: req.url, secret: req.headers['x-secret'], auth: req.headers.authorization ?? null }))
  })
  const plugins = writePlugin(tempDir(t), {
    type: 'datasource',
    id: 'early',
    name: 'Early',
    routes: [
      { path: 'api/admin', url: up.url, reqRole: 'Admin' },
      { path: 'api', url: `${up.url}/v1`, headers: [{ name: 'X-Secret', content: '{{.SecureJsonData.token}}' }] }
    ]
  })
  const built = await build(t, { ...overrides, paths: { plugins } })
  await createDataSource(built.app, { name: 'E', uid: 'early', type: 'early', url: up.url, secureJsonData: { token: 's3' } })
  return { ...built, up }
}

/** The same request through the early path (a real socket) and through the route (app.inject). */
async function both (app: Awaited<ReturnType<typeof proxyApp>>['app'], path: string, headers: Record<string, string>) {
  const early = await rawGet(app, path, headers)
  const routed = await app.inject({ url: path, headers })
  const comparable = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)))
  return {
    early: { status: early.statusCode, headers: comparable(early.headers), body: early.body },
    routed: { status: routed.statusCode, headers: comparable(routed.headers), body: routed.body }
  }
}

/** How many requests reach the Fastify route's handler (the early path does not call it). */
function countRouted (app: Awaited<ReturnType<typeof proxyApp>>['app']): { n: number } {
  const counter = { n: 0 }
  const proxy = app.dataSourceProxy
  const handle = proxy.handle.bind(proxy)
  proxy.handle = async (...args) => { counter.n++; return handle(...args) }
  return counter
}

const count = async (app: Awaited<ReturnType<typeof proxyApp>>['app'], line: RegExp) => {
  const m = line.exec((await app.inject('/metrics')).body)
  return m === null ? 0 : Number(m[1])
}

t.test('a proxied GET answers the same through the early path and through the route', async t => {
  const { app, up } = await proxyApp(t)
  const { early, routed } = await both(app, '/api/datasources/proxy/uid/early/api/query?q=up', { authorization: ADMIN, 'x-custom': 'kept' })
  t.equal(early.status, 200)
  t.same(JSON.parse(early.body), { path: '/v1/query?q=up', secret: 's3', auth: null })
  t.same(early, routed)
  t.same(up.seen[0]!.headers, up.seen[1]!.headers, 'the data source saw the same request both times')
  t.equal(up.seen[0]!.headers['x-custom'], 'kept')
})

t.test('a plain GET carrying only credentials over a socket is served without the route; the rest reach it', async t => {
  const { app } = await proxyApp(t)
  const routed = countRouted(app)
  t.equal((await rawGet(app, '/api/datasources/proxy/uid/early/api/x', { authorization: ADMIN })).statusCode, 200)
  t.equal(routed.n, 0, 'the early path answered')
  t.equal((await app.inject({ url: '/api/datasources/proxy/uid/early/api/x', headers: { authorization: ADMIN } })).statusCode, 200)
  t.equal(routed.n, 1, 'app.inject takes the route')
  t.equal((await rawGet(app, '/api/datasources/proxy/uid/early/api/x', { authorization: ADMIN, origin: 'http://elsewhere.example' })).statusCode, 200)
  t.equal(routed.n, 2, 'a request with an Origin is the route\'s')
})

t.test('the early path records the same metric, log line and activity as the route', async t => {
  const { app, logs } = await proxyApp(t, { server: { router_logging: true } })
  const metric = /grafana_http_request_duration_seconds_count\{handler="\/api\/datasources\/proxy\/uid\/:uid\/\*",method="GET",status_code="200"\} (\d+)/
  const before = logs.length
  await rawGet(app, '/api/datasources/proxy/uid/early/api/x', { authorization: ADMIN })
  await app.inject({ url: '/api/datasources/proxy/uid/early/api/x', headers: { authorization: ADMIN } })
  t.equal(await count(app, metric), 2)
  const lines = logs.slice(before).filter(l => l.includes('msg="Request Completed"') && l.includes('/api/datasources/proxy/'))
    .map(l => l.replace(/^t=\S+ /, '').replace(/time_ms=\d+ /, ''))
  t.equal(lines.length, 2)
  t.equal(lines[0], lines[1])
  t.match(lines[0], /uname=admin.*path=\/api\/datasources\/proxy\/uid\/early\/api\/x status=200/)
  const activity = await app.inject({ url: '/api/gatehouse/activity', headers: { authorization: ADMIN } })
  t.match(activity.body, /"early"/)
})

t.test('refusals through the early path are the route\'s answers, and a failed login counts once', async t => {
  const { app } = await proxyApp(t)
  const failures = /gatehouse_auth_failures_total\{method="basic"\} (\d+)/
  const wrong = await both(app, '/api/datasources/proxy/uid/early/api/x', { authorization: basic('admin', 'nope') })
  t.equal(wrong.early.status, 401)
  t.same(wrong.early, wrong.routed)
  t.equal(await count(app, failures), 2, 'one failure per request')
  const missing = await both(app, '/api/datasources/proxy/uid/nope/api/x', { authorization: ADMIN })
  t.equal(missing.early.status, 404)
  t.same(missing.early, missing.routed)
  const none = await both(app, '/api/datasources/proxy/uid/early/api/x', {})
  t.equal(none.early.status, 401)
  t.same(none.early, none.routed)
  const otherOrg = await both(app, '/api/datasources/proxy/uid/early/api/x', { authorization: ADMIN, 'x-grafana-org-id': '99' })
  t.equal(otherOrg.early.status, 403)
  t.same(otherOrg.early, otherOrg.routed)
  const targetOrg = await both(app, '/api/datasources/proxy/uid/early/api/x?targetOrgId=99', { authorization: ADMIN })
  t.equal(targetOrg.early.status, 403, 'a query naming an org goes to the route')
  t.same(targetOrg.early, targetOrg.routed)
})

t.test('requests the early path does not handle reach the route unchanged', async t => {
  const { app, up } = await proxyApp(t)
  const login = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } })
  const cookie = `grafana_session=${sessionCookie(login)}`
  const withCookie = await both(app, '/api/datasources/proxy/uid/early/api/x', { cookie })
  t.equal(withCookie.early.status, 200, 'a session cookie is authenticated by the route')
  t.same(withCookie.early, withCookie.routed)
  const bare = await both(app, '/api/datasources/proxy/uid/early', { authorization: ADMIN })
  t.same(bare.early, bare.routed)
  const post = await request(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/datasources/proxy/uid/early/api/w`, {
    method: 'POST', headers: { authorization: ADMIN }, body: 'abc'
  })
  t.equal(post.statusCode, 200)
  await post.body.text()
  t.equal(up.seen.at(-1)!.body, 'abc')
})

t.test('an unexpected failure on the early path is a 500 JSON and a log line, as on the route, not a cut connection', async t => {
  const { app, logs } = await proxyApp(t)
  const proxy = app.dataSourceProxy
  proxy.send = async () => { throw new Error('a bug in sending') }
  const res = await rawGet(app, '/api/datasources/proxy/uid/early/api/x', { authorization: ADMIN })
  t.equal(res.statusCode, 500)
  t.same(JSON.parse(res.body), { message: 'Internal server error' })
  t.match(res.headers['content-type'], /^application\/json/)
  t.ok(logs.some(l => l.includes('level=error') && l.includes('a bug in sending')), 'logged')
})

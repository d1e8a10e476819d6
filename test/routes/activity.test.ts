// GET /api/gatehouse/activity: what happened in the current minute shows up in its series, for the
// org's Admins only. Counts are summed over the window: a test may straddle a minute boundary.
import t from 'tap'
import { ADMIN, api, build } from '../helpers/build.js'
import { createDataSource, installExample, tempDir, upstream, userWithRole } from '../helpers/datasources.js'
import { listen, refusedUpgrade } from '../helpers/live.js'

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

t.test('proxied requests, token failures, Live publications and origin refusals appear in the current minute', async t => {
  const prom = await upstream(t, (req, res) => {
    res.writeHead(req.url === '/boom' ? 500 : 200, { 'content-type': 'application/json' })
    res.end('{}')
  })
  const token = await upstream(t, (_req, res) => { res.writeHead(401, { 'content-type': 'application/json' }); res.end('{"error":"invalid_client"}') })
  const plugins = installExample(tempDir(t), 'seed-token-auth-datasource', { 'https://management.azure.com': prom.url, 'https://login.microsoftonline.com': token.url })
  const { app } = await build(t, { paths: { plugins }, cors: { allowed_origins: 'https://app.example' } })
  const ds = await createDataSource(app, { name: 'Prom', type: 'prometheus', url: prom.url })
  const azure = await createDataSource(app,
    { name: 'Azure', type: 'seed-token-auth-datasource', jsonData: { tenantId: 't', clientId: 'c' }, secureJsonData: { clientSecret: 's' } })

  for (let i = 0; i < 3; i++) t.equal((await api(app, 'GET', `/api/datasources/proxy/uid/${ds.uid}/ok`)).statusCode, 200)
  t.equal((await api(app, 'GET', `/api/datasources/proxy/uid/${ds.uid}/boom`)).statusCode, 500)
  t.equal((await api(app, 'GET', `/api/datasources/proxy/${azure.id}/azuremonitor/subscriptions`)).statusCode, 502)
  t.equal((await api(app, 'POST', '/api/live/publish', { channel: 'grafana/broadcast/activity', data: { v: 1 } })).statusCode, 200)

  const login = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } })
  const cookie = login.cookies.find(c => c.name === 'grafana_session')!.value
  t.equal((await app.inject({ url: '/api/org', headers: { origin: 'http://evil.example', host: 'localhost:3000' }, cookies: { grafana_session: cookie } })).statusCode, 403)
  await app.inject({ method: 'OPTIONS', url: '/api/org', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
  t.equal((await refusedUpgrade(await listen(app), { authorization: ADMIN, origin: 'https://evil.example' })).status, 403)

  const res = await api(app, 'GET', '/api/gatehouse/activity')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const body = res.json()
  t.equal(body.minutes.length, 15)
  t.equal(body.minutes.at(-1), Math.floor(Date.now() / 60_000) * 60)
  const prometheus = body.datasources.find((d: { uid: string }) => d.uid === ds.uid)
  t.equal(prometheus.name, 'Prom')
  t.equal(sum(prometheus.requests['2xx']), 3)
  t.equal(sum(prometheus.requests['5xx']), 1)
  const p50 = prometheus.p50Ms.filter((v: number | null) => v !== null)
  const p99 = prometheus.p99Ms.filter((v: number | null) => v !== null)
  t.ok(p50.length >= 1 && p50.every((v: number, i: number) => v > 0 && p99[i] >= v), 'latency percentiles for the minutes with requests')
  t.equal(prometheus.p50Ms[0], null, 'nothing to say for a minute without requests')
  const az = body.datasources.find((d: { uid: string }) => d.uid === azure.uid)
  t.equal(sum(az.tokenFailures), 1)
  t.equal(sum(az.requests['5xx']), 1, 'the 502 the client got is counted too')
  t.equal(sum(body.tokenFailures), 1)
  t.equal(sum(body.live.publications), 1)
  t.equal(body.live.connections.at(-1), 0, 'the gauge was sampled this minute')
  t.same({ cors: sum(body.originRefusals.cors), csrf: sum(body.originRefusals.csrf), live: sum(body.originRefusals.live) }, { cors: 2, csrf: 1, live: 1 },
    'the origin policy\'s refusals: CORS counts the preflight and the CSRF-refused request (the upgrade is Live\'s to judge)')
  const totals = app.originRefusals.totals()
  for (const surface of ['cors', 'csrf', 'live'] as const) {
    t.equal(sum(body.originRefusals[surface]), totals.filter(r => r.surface === surface).reduce((n, r) => n + r.count, 0),
      `${surface}: the same count as /metrics`)
  }
})

t.test('only org Admins may read the activity', async t => {
  const { app } = await build(t)
  const viewer = await userWithRole(app, 'viewer', 'Viewer')
  const res = await api(app, 'GET', '/api/gatehouse/activity', undefined, viewer)
  t.equal(res.statusCode, 403)
  t.equal(typeof res.json().message, 'string')
  t.equal((await app.inject('/api/gatehouse/activity')).statusCode, 401)
})

// Origin rules tried before they are enforced: report-only CSRF and Live let a refused request
// through, log it once per origin per minute and count it; every refusal (CORS preflights too)
// lands on /metrics and in GET /api/gatehouse/origin-refusals with the config that would allow it.
import t from 'tap'
import { ADMIN, build, sessionCookie } from '../helpers/build.js'
import { userWithRole } from '../helpers/datasources.js'
import { clients, listen, refusedUpgrade } from '../helpers/live.js'
import { loadConfig } from '../../config/load.js'
import { tmpdir } from 'node:os'

type App = Awaited<ReturnType<typeof build>>['app']
const login = async (app: App) => sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
const refusals = async (app: App) => (await app.inject({
  url: '/api/gatehouse/origin-refusals', headers: { authorization: ADMIN, host: 'gatehouse.example.com' }
})).json()
const metric = async (app: App, surface: string, mode: string) => {
  const text = (await app.inject({ url: '/metrics' })).body
  const m = new RegExp(`^gatehouse_origin_refusals_total\\{surface="${surface}",mode="${mode}"\\} (\\d+)$`, 'm').exec(text)
  return m === null ? undefined : Number(m[1])
}

t.test('csrf_report_only: a foreign cookie POST goes through, is logged once per origin and counted', async t => {
  const { app, logs } = await build(t, {}, { GF_SECURITY_CSRF_REPORT_ONLY: 'true' })
  const cookie = await login(app)
  for (const name of ['First', 'Second']) {
    const res = await app.inject({ method: 'PUT', url: '/api/org', headers: { host: 'localhost:3000', origin: 'https://app.example.com' }, cookies: { grafana_session: cookie }, payload: { name } })
    t.equal(res.statusCode, 200, `${name}: let through`)
  }
  t.same((await app.inject({ url: '/api/org', cookies: { grafana_session: cookie } })).json(), { id: 1, name: 'Second' }, 'the change happened')
  const lines = logs.filter(l => l.includes('msg="Origin would be refused"'))
  t.equal(lines.length, 1, 'one line per origin per minute')
  t.match(lines[0], /level=warn logger=origin-policy msg="Origin would be refused" surface=csrf origin=https:\/\/app\.example\.com rule=csrf-origin-mismatch/)
  t.notOk(logs.some(l => l.includes('logger=csrf') && l.includes('Origin check failed')), 'no refusal logged')
  t.equal(await metric(app, 'csrf', 'reported'), 2)
  t.equal(await metric(app, 'csrf', 'enforced'), undefined)
  const csrf = (await refusals(app)).refusals.filter((r: { surface: string }) => r.surface === 'csrf')
  t.match(csrf, [
    { surface: 'csrf', origin: 'https://app.example.com', method: 'PUT', path: '/api/org', rule: 'csrf-origin-mismatch', mode: 'reported', time: /^\d{4}-\d\d-\d\dT/ },
    { surface: 'csrf', mode: 'reported' }
  ])
  t.equal(csrf.length, 2)
})

t.test('enforced refusals, CORS preflights included, are listed by origin with the config line that allows them', async t => {
  const { app } = await build(t, { cors: { allowed_origins: 'https://app.example.com' } })
  const cookie = await login(app)
  const preflight = await app.inject({ method: 'OPTIONS', url: '/api/search?query=secret', headers: { origin: 'https://other.example.com', 'access-control-request-method': 'GET' } })
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
  const post = await app.inject({ method: 'POST', url: '/api/dashboards/db', headers: { host: 'gatehouse.example.com', origin: 'https://other.example.com' }, cookies: { grafana_session: cookie }, payload: { dashboard: { title: 'x' } } })
  t.equal(post.statusCode, 403)
  t.same(post.json(), { message: 'origin not allowed' })
  const allowed = await app.inject({ method: 'OPTIONS', url: '/api/search', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } })
  t.equal(allowed.statusCode, 204, 'a listed origin is no refusal')
  const own = await app.inject({ url: '/api/org', headers: { host: 'gatehouse.example.com', origin: 'http://gatehouse.example.com' }, cookies: { grafana_session: cookie } })
  t.equal(own.statusCode, 200, 'the UI\'s own origin is no refusal')

  t.equal(await metric(app, 'cors', 'enforced'), 2)
  t.equal(await metric(app, 'csrf', 'enforced'), 1)
  const body = await refusals(app)
  t.same(body.refusals.map((r: Record<string, string>) => [r.surface, r.method, r.path, r.rule, r.mode]), [
    ['csrf', 'POST', '/api/dashboards/db', 'csrf-origin-mismatch', 'enforced'],
    ['cors', 'POST', '/api/dashboards/db', 'cors-not-listed', 'enforced'],
    ['cors', 'OPTIONS', '/api/search', 'cors-not-listed', 'enforced']
  ], 'newest first; the query string is not kept')
  t.same(body.origins, [{
    origin: 'https://other.example.com',
    count: 3,
    last: body.refusals[0].time,
    surfaces: ['cors', 'csrf'],
    reportedOnly: false,
    config: ['[cors] allowed_origins = https://app.example.com, https://other.example.com', 'GF_CORS_ALLOWED_ORIGINS="https://app.example.com, https://other.example.com"']
  }])
})

t.test('the refusal list is for org Admins', async t => {
  const { app } = await build(t)
  const editor = await userWithRole(app, 'ed', 'Editor')
  t.equal((await app.inject({ url: '/api/gatehouse/origin-refusals', headers: { authorization: editor } })).statusCode, 403)
  t.equal((await app.inject({ url: '/api/gatehouse/origin-refusals' })).statusCode, 401)
})

t.test('origin_report_only: Live lets a foreign origin connect, logs it once and counts it', async t => {
  const { app, logs } = await build(t, { live: { origin_report_only: true } })
  const url = await listen(app)
  const cs = clients(t)
  for (let i = 0; i < 2; i++) {
    const c = await cs.connect(url, { authorization: ADMIN, origin: 'https://app.example.com' })
    t.equal(c.state, 'connected')
  }
  const lines = logs.filter(l => l.includes('msg="Origin would be refused"'))
  t.equal(lines.length, 1)
  t.match(lines[0], /surface=live origin=https:\/\/app\.example\.com rule=live-not-listed/)
  t.notOk(logs.some(l => l.includes('msg="Origin check failed"')))
  t.equal(await metric(app, 'live', 'reported'), 2)
  t.match((await refusals(app)).refusals[0], { surface: 'live', method: 'GET', path: '/api/live/ws', rule: 'live-not-listed', mode: 'reported' })
})

t.test('without report-only the Live refusal is enforced and counted', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  t.equal((await refusedUpgrade(url, { authorization: ADMIN, origin: 'https://evil.example' })).status, 403)
  t.equal(await metric(app, 'live', 'enforced'), 1)
})

t.test('a report-only key that is not a boolean stops the start naming key and value', async t => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ argv: [], cwd: tmpdir(), env })
  t.throws(() => load({ GF_SECURITY_CSRF_REPORT_ONLY: 'maybe' }), { message: 'invalid config: [security] csrf_report_only = "maybe": must be true or false' })
  t.throws(() => load({ GF_LIVE_ORIGIN_REPORT_ONLY: 'sometimes' }),
    { message: 'invalid config: [live] origin_report_only = "sometimes": must be true or false' })
  t.equal(load({ GF_LIVE_ORIGIN_REPORT_ONLY: 'true' }).live.originReportOnly, true)
})

// The origin doctor's endpoint: one origin, three verdicts, the deciding rules, and the config
// that would let it through.
import t from 'tap'
import { build, ADMIN } from '../helpers/build.js'
import { userWithRole } from '../helpers/datasources.js'

const check = (origin: string, authorization = ADMIN, host = 'gatehouse.example.com') => ({
  method: 'GET' as const, url: `/api/gatehouse/origin-check?origin=${encodeURIComponent(origin)}`, headers: { authorization, host }
})

t.test('default config: only the same host passes; the answer says what to add', async t => {
  const { app } = await build(t, { server: { root_url: 'https://gatehouse.example.com/' } })
  const same = await app.inject(check('https://gatehouse.example.com'))
  t.equal(same.statusCode, 200)
  t.same(same.json(), {
    origin: 'https://gatehouse.example.com',
    cors: { allowed: true, rule: 'same origin as the request: browsers do not use CORS' },
    csrf: { allowed: true, rule: 'Origin host equals the request Host' },
    live: { allowed: true, rule: 'Origin host equals the request Host' },
    config: []
  }, 'the UI\'s own origin needs nothing')
  const foreign = await app.inject(check('https://app.example.com/some/page'))
  t.same(foreign.json(), {
    origin: 'https://app.example.com',
    cors: { allowed: false, rule: '[cors] allowed_origins is empty' },
    csrf: { allowed: false, rule: 'neither the request Host nor a trusted origin' },
    live: { allowed: false, rule: 'no rule matched' },
    config: ['[cors] allowed_origins = https://app.example.com', 'GF_CORS_ALLOWED_ORIGINS="https://app.example.com"']
  }, 'a pasted URL is reduced to its origin; one [cors] line fixes all three')
})

t.test('the rule that decided is named; the suggested config keeps existing entries', async t => {
  const { app } = await build(t, {
    cors: { allowed_origins: 'https://*.apps.example.com', allow_credentials: false },
    security: { csrf_trusted_origins: 'trusted.example.com' },
    live: { allowed_origins: 'https://live-*.example.com' }
  })
  const r = (await app.inject(check('https://a.apps.example.com'))).json()
  t.same(r.cors, { allowed: true, rule: '[cors] allowed_origins https://*.apps.example.com' })
  t.same(r.csrf, { allowed: false, rule: 'neither the request Host nor a trusted origin' }, 'without credentials CORS does not imply CSRF trust')
  t.same(r.config, [
    '[security] csrf_trusted_origins = trusted.example.com, a.apps.example.com', 'GF_SECURITY_CSRF_TRUSTED_ORIGINS="trusted.example.com, a.apps.example.com"',
    '[live] allowed_origins = https://live-*.example.com, https://a.apps.example.com', 'GF_LIVE_ALLOWED_ORIGINS="https://live-*.example.com, https://a.apps.example.com"'
  ])
  const trusted = (await app.inject(check('https://trusted.example.com'))).json()
  t.same(trusted.csrf, { allowed: true, rule: '[security] csrf_trusted_origins' })
  const live = (await app.inject(check('https://live-1.example.com'))).json()
  t.same(live.live, { allowed: true, rule: '[live] allowed_origins https://live-*.example.com' })
  const nul = (await app.inject(check('null'))).json()
  t.same(nul.cors, { allowed: false, rule: 'Origin is "null" (sandboxed or file: page); never trusted' })
  t.same(nul.config, [], 'no config line can allow an Origin of null: none is suggested')
})

t.test('org Admins only; bad origins are a 400', async t => {
  const { app } = await build(t)
  const editor = await userWithRole(app, 'ed', 'Editor')
  const denied = await app.inject(check('https://a.example.com', editor))
  t.equal(denied.statusCode, 403)
  t.equal(typeof denied.json().message, 'string')
  const anon = await app.inject({ method: 'GET', url: '/api/gatehouse/origin-check?origin=https://a.example.com' })
  t.equal(anon.statusCode, 401)
  for (const bad of ['app.example.com', 'ftp://x.example.com', 'javascript:alert(1)']) {
    const res = await app.inject(check(bad))
    t.equal(res.statusCode, 400, bad)
    t.same(res.json(), { message: 'origin must be an origin such as https://app.example.com' })
  }
  const missing = await app.inject({ method: 'GET', url: '/api/gatehouse/origin-check', headers: { authorization: ADMIN } })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().message, /origin/)
})

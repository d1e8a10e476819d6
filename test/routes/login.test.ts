import t from 'tap'
import { build, sessionCookie } from '../helpers/build.js'

const login = (app: Awaited<ReturnType<typeof build>>['app'], user: string, password: string, cookies: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/login', payload: { user, password }, cookies })

t.test('POST /login signs in and sets an HttpOnly SameSite=Lax session cookie', async t => {
  const { app } = await build(t)
  const res = await login(app, 'admin', 'admin')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'Logged in', redirectUrl: '/' })
  const c = res.cookies.find(c => c.name === 'grafana_session')!
  t.ok(c, 'grafana_session set')
  t.equal(c.httpOnly, true)
  t.equal(c.path, '/')
  t.equal(c.sameSite, 'Lax')
  t.equal(c.maxAge, 30 * 86400)
  t.notOk(c.secure)
  const me = await app.inject({ url: '/api/user', cookies: { grafana_session: c.value } })
  t.equal(me.json().login, 'admin')
})

t.test('the session table holds only a hash of the token', async t => {
  const { app } = await build(t)
  const token = sessionCookie(await login(app, 'admin', 'admin'))!
  const rows = await app.db.selectFrom('user_auth_token').selectAll().execute()
  t.equal(rows.length, 1)
  t.not(rows[0]!.auth_token, token)
  t.notOk(JSON.stringify(rows).includes(token), 'the token appears nowhere in the row')
})

t.test('login works with the email too', async t => {
  const { app } = await build(t)
  t.equal((await login(app, 'admin@localhost', 'admin')).statusCode, 200)
})

t.test('a wrong password or unknown user is a 401 with Grafana\'s message and no cookie', async t => {
  const { app } = await build(t)
  for (const [u, p] of [['admin', 'wrong'], ['nobody', 'admin']]) {
    const res = await login(app, u!, p!)
    t.equal(res.statusCode, 401)
    t.equal(res.json().message, 'Invalid username or password')
    t.equal(sessionCookie(res), undefined)
  }
  t.equal((await app.db.selectFrom('user_auth_token').selectAll().execute()).length, 0, 'no session stored')
})

t.test('bad login bodies are 400 "bad login data" naming the field', async t => {
  const { app } = await build(t)
  const missing = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin' } })
  t.equal(missing.statusCode, 400)
  t.match(missing.json().message, /^bad login data: password/)
  const wrongType = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 12345 } })
  t.equal(wrongType.statusCode, 400)
  t.match(wrongType.json().message, /password/)
  const malformed = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '{"user":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json().message, /not valid JSON/)
})

t.test('brute force: after 5 failures even the right password is refused with 429', async t => {
  const { app } = await build(t)
  for (let i = 0; i < 5; i++) t.equal((await login(app, i % 2 === 0 ? 'admin' : 'ADMIN', 'wrong')).statusCode, 401)
  const blocked = await login(app, 'admin', 'admin')
  t.equal(blocked.statusCode, 429)
  t.match(blocked.json().message, /temporarily blocked/)
  t.equal(sessionCookie(blocked), undefined)
  const viaBasic = await app.inject({ url: '/api/org', headers: { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') } })
  t.equal(viaBasic.statusCode, 429, 'basic auth is blocked too')
})

t.test('brute force: the block lifts once the failures are older than 5 minutes', async t => {
  const { app } = await build(t, { security: { brute_force_login_protection_max_attempts: 2 } })
  await login(app, 'admin', 'x')
  await login(app, 'admin', 'y')
  t.equal((await login(app, 'admin', 'admin')).statusCode, 429)
  await app.db.updateTable('login_attempt').set({ created: new Date(Date.now() - 6 * 60_000) }).execute()
  t.equal((await login(app, 'admin', 'admin')).statusCode, 200)
})

t.test('brute-force protection can be disabled', async t => {
  const { app } = await build(t, { security: { disable_brute_force_login_protection: true } })
  for (let i = 0; i < 7; i++) await login(app, 'admin', 'wrong')
  t.equal((await login(app, 'admin', 'admin')).statusCode, 200)
})

t.test('disable_login_form refuses POST /login', async t => {
  const { app } = await build(t, { auth: { disable_login_form: true } })
  const res = await login(app, 'admin', 'admin')
  t.equal(res.statusCode, 401)
  t.equal(res.json().message, 'Login is disabled')
})

t.test('redirect_to is honoured for local paths and ignored for other sites', async t => {
  const { app } = await build(t)
  t.equal((await login(app, 'admin', 'admin', { redirect_to: '/d/abc?orgId=1' })).json().redirectUrl, '/d/abc?orgId=1')
  for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '%2F%2Fevil.example']) {
    t.equal((await login(app, 'admin', 'admin', { redirect_to: evil })).json().redirectUrl, '/', evil)
  }
})

t.test('GET /logout revokes the session, clears the cookie and redirects to /login', async t => {
  const { app } = await build(t)
  const token = sessionCookie(await login(app, 'admin', 'admin'))!
  const res = await app.inject({ url: '/logout', cookies: { grafana_session: token } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/login')
  const cleared = res.cookies.find(c => c.name === 'grafana_session')
  t.equal(cleared?.value, '')
  t.equal((await app.db.selectFrom('user_auth_token').selectAll().execute()).length, 0)
  t.equal((await app.inject({ url: '/api/user', cookies: { grafana_session: token } })).statusCode, 401, 'the old token no longer works')
})

t.test('cookie_secure, cookie_samesite and a sub-path root_url shape the cookie', async t => {
  const { app } = await build(t, { security: { cookie_secure: true, cookie_samesite: 'strict' }, server: { root_url: 'https://example.com/grafana/' } })
  const c = (await login(app, 'admin', 'admin')).cookies.find(c => c.name === 'grafana_session')!
  t.equal(c.secure, true)
  t.equal(c.sameSite, 'Strict')
  t.equal(c.path, '/grafana')
})

t.test('GET /api/login/ping answers for a signed-in user only', async t => {
  const { app } = await build(t)
  t.equal((await app.inject('/api/login/ping')).statusCode, 401)
  const token = sessionCookie(await login(app, 'admin', 'admin'))!
  t.same((await app.inject({ url: '/api/login/ping', cookies: { grafana_session: token } })).json(), { message: 'Logged in' })
})

import t from 'tap'
import { build, sessionCookie, type App } from '../helpers/build.js'

const signIn = async (app: App) => sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
const me = (app: App, token: string) => app.inject({ url: '/api/user', cookies: { grafana_session: token } })

t.test('a session token is rotated once the rotation interval has passed; the old one keeps working briefly', async t => {
  const { app } = await build(t)
  const token = await signIn(app)
  t.equal(sessionCookie(await me(app, token)), undefined, 'no rotation for a fresh token')
  await app.db.updateTable('user_auth_token').set({ rotated_at: new Date(Date.now() - 11 * 60_000) }).execute()
  const res = await me(app, token)
  t.equal(res.statusCode, 200)
  const rotated = sessionCookie(res)
  t.ok(rotated, 'a new cookie was set')
  t.not(rotated, token)
  t.equal((await me(app, rotated!)).statusCode, 200)
  t.equal((await me(app, token)).statusCode, 200, 'a request that raced the rotation still succeeds')
})

t.test('a session idle longer than login_maximum_inactive_lifetime_duration ends and its cookie is cleared', async t => {
  const { app } = await build(t, { auth: { login_maximum_inactive_lifetime_duration: '1h' } })
  const token = await signIn(app)
  await app.db.updateTable('user_auth_token').set({ rotated_at: new Date(Date.now() - 2 * 3_600_000) }).execute()
  const res = await me(app, token)
  t.equal(res.statusCode, 401)
  t.equal(res.cookies.find(c => c.name === 'grafana_session')?.value, '', 'the bad cookie is burnt')
})

t.test('a session older than login_maximum_lifetime_duration ends even if active', async t => {
  const { app } = await build(t, { auth: { login_maximum_lifetime_duration: '1d' } })
  const token = await signIn(app)
  await app.db.updateTable('user_auth_token').set({ created_at: new Date(Date.now() - 2 * 86_400_000) }).execute()
  t.equal((await me(app, token)).statusCode, 401)
})

t.test('tampered, truncated and unknown cookies are 401 JSON, never 500', async t => {
  const { app } = await build(t)
  const token = await signIn(app)
  for (const bad of [token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), token.slice(0, 10), 'x'.repeat(43), '../../etc/passwd', '%00']) {
    const res = await me(app, bad)
    t.equal(res.statusCode, 401, bad)
    t.equal(res.json().message, 'Unauthorized')
  }
})

t.test('changing the password ends the user\'s other sessions but keeps this one', async t => {
  const { app } = await build(t)
  const a = await signIn(app)
  const b = await signIn(app)
  const res = await app.inject({
    method: 'PUT', url: '/api/user/password', cookies: { grafana_session: a }, payload: { oldPassword: 'admin', newPassword: 'n3w-pass' }
  })
  t.same(res.json(), { message: 'User password changed' })
  t.equal((await me(app, a)).statusCode, 200)
  t.equal((await me(app, b)).statusCode, 401)
})

t.test('a disabled user\'s session stops working', async t => {
  const { app } = await build(t)
  const token = await signIn(app)
  await app.db.updateTable('users').set({ is_disabled: true }).where('login', '=', 'admin').execute()
  t.equal((await me(app, token)).statusCode, 401)
})

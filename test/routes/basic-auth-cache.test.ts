// Basic auth is served from a cache of verified identities (no database round trip on a hit), and
// every change that identity depends on, made through the API, takes effect on the next request.
import t from 'tap'
import { ADMIN, basic, build } from '../helpers/build.js'
import { IDENTITY_TTL_MS } from '../../plugins/auth/basic.js'

type App = Awaited<ReturnType<typeof build>>['app']
const call = (app: App, method: string, url: string, auth: string, payload?: object, extra: Record<string, string> = {}) =>
  app.inject({ method: method as 'GET', url, headers: { authorization: auth, ...extra }, ...(payload !== undefined ? { payload } : {}) })

async function addUser (app: App, login: string, password: string): Promise<number> {
  const res = await call(app, 'POST', '/api/admin/users', ADMIN, { login, email: `${login}@example.com`, password })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().id
}

t.test('a cached basic-auth success reads nothing from the database; a change made elsewhere shows within the cache window', async t => {
  const { app } = await build(t)
  await addUser(app, 'ann', 'ann-pw')
  const ann = basic('ann', 'ann-pw')
  t.equal((await call(app, 'GET', '/api/org', ann)).statusCode, 200)
  // Another instance (or a database console) disables her: this instance has no way to know but the row.
  await app.db.updateTable('users').set({ is_disabled: true }).where('login', '=', 'ann').execute()
  const changed = Date.now()
  t.equal((await call(app, 'GET', '/api/org', ann)).statusCode, 200, 'served from the cache: the row was not read')
  let status = 200
  while (status === 200 && Date.now() - changed < IDENTITY_TTL_MS + 2000) {
    await new Promise(resolve => setTimeout(resolve, 100))
    status = (await call(app, 'GET', '/api/org', ann)).statusCode
  }
  t.equal(status, 401, 'refused once the cache window passed')
  t.ok(Date.now() - changed < IDENTITY_TTL_MS + 2000, `within ${IDENTITY_TTL_MS} ms (and a loaded machine's request time)`)
})

t.test('a cached success neither counts nor clears brute-force failures', async t => {
  const { app } = await build(t)
  t.equal((await call(app, 'GET', '/api/org', ADMIN)).statusCode, 200)
  await app.db.insertInto('login_attempt').values({ username: 'admin', ip_address: '127.0.0.1' }).execute()
  t.equal((await call(app, 'GET', '/api/org', ADMIN)).statusCode, 200)
  const rows = await app.db.selectFrom('login_attempt').select('username').execute()
  t.same(rows, [{ username: 'admin' }], 'the cached success did not touch login_attempt')
})

t.test('an org role change through the API takes effect on the next basic-auth request', async t => {
  const { app } = await build(t)
  const id = await addUser(app, 'bo', 'bo-pw')
  const bo = basic('bo', 'bo-pw')
  t.equal((await call(app, 'GET', '/api/org/users', bo)).statusCode, 403, 'Viewer')
  t.equal((await call(app, 'PATCH', `/api/org/users/${id}`, ADMIN, { role: 'Admin' })).statusCode, 200)
  t.equal((await call(app, 'GET', '/api/org/users', bo)).statusCode, 200, 'Admin at once')
  t.equal((await call(app, 'PATCH', `/api/org/users/${id}`, ADMIN, { role: 'Viewer' })).statusCode, 200)
  t.equal((await call(app, 'GET', '/api/org/users', bo)).statusCode, 403, 'Viewer again at once')
})

t.test('removal from an org takes effect on the next basic-auth request for that org', async t => {
  const { app } = await build(t)
  const id = await addUser(app, 'cy', 'cy-pw')
  const org = (await call(app, 'POST', '/api/orgs', ADMIN, { name: 'Second' })).json().orgId
  t.equal((await call(app, 'POST', `/api/orgs/${org}/users`, ADMIN, { loginOrEmail: 'cy', role: 'Viewer' })).statusCode, 200)
  const cy = basic('cy', 'cy-pw')
  t.equal((await call(app, 'GET', '/api/org', cy, undefined, { 'x-grafana-org-id': String(org) })).json().name, 'Second')
  t.equal((await call(app, 'DELETE', `/api/orgs/${org}/users/${id}`, ADMIN)).statusCode, 200)
  const res = await call(app, 'GET', '/api/org', cy, undefined, { 'x-grafana-org-id': String(org) })
  t.equal(res.statusCode, 403)
  t.equal(res.json().message, `You are not a member of organization ${org}`)
})

t.test('a disabled user is refused at once and an enabled one served again', async t => {
  const { app } = await build(t)
  const id = await addUser(app, 'di', 'di-pw')
  const di = basic('di', 'di-pw')
  t.equal((await call(app, 'GET', '/api/org', di)).statusCode, 200)
  t.same((await call(app, 'POST', `/api/admin/users/${id}/disable`, ADMIN)).json(), { message: 'User disabled' })
  const refused = await call(app, 'GET', '/api/org', di)
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().message, 'Invalid username or password', 'the password is no oracle for account state')
  t.equal((await call(app, 'POST', `/api/admin/users/${id}/enable`, ADMIN)).statusCode, 200)
  t.equal((await call(app, 'GET', '/api/org', di)).statusCode, 200)
})

t.test('disable and enable are for server admins, and name an existing user', async t => {
  const { app } = await build(t)
  const id = await addUser(app, 'ed', 'ed-pw')
  t.equal((await call(app, 'POST', `/api/admin/users/${id}/disable`, basic('ed', 'ed-pw'))).statusCode, 403)
  const missing = await call(app, 'POST', '/api/admin/users/9999/disable', ADMIN)
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().message, 'User not found')
  const row = await app.db.selectFrom('users').select('is_disabled').where('id', '=', id).executeTakeFirstOrThrow()
  t.equal(row.is_disabled, false)
})

t.test('a role the auth proxy Role header syncs takes effect on the next basic-auth request', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Role:X-WEBAUTH-ROLE' } })
  await addUser(app, 'di', 'di-pw')
  const di = basic('di', 'di-pw')
  t.equal((await call(app, 'GET', '/api/org/users', di)).statusCode, 403, 'Viewer, now cached')
  const viaProxy = await app.inject({ url: '/api/user', headers: { 'x-webauth-user': 'di', 'x-webauth-role': 'Admin' } })
  t.equal(viaProxy.statusCode, 200)
  t.equal((await call(app, 'GET', '/api/org/users', di)).statusCode, 200, 'Admin at once, not after the cache window')
  await app.inject({ url: '/api/user', headers: { 'x-webauth-user': 'di', 'x-webauth-role': 'Viewer' } })
  t.equal((await call(app, 'GET', '/api/org/users', di)).statusCode, 403, 'Viewer again at once')
})

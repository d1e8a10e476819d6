// Users, orgs and memberships through Grafana's HTTP API, as a server admin and as others.
import t from 'tap'
import { ADMIN, basic, build, type App, api } from '../helpers/build.js'

async function addUser (app: App, login: string, password = 'secret-pw', orgId?: number): Promise<number> {
  const res = await api(app, 'POST', '/api/admin/users',
    { login, email: `${login}@example.com`, name: login.toUpperCase(), password, ...(orgId !== undefined ? { orgId } : {}) })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().id
}

t.test('seed 003: curl http://admin:admin@…/api/org returns exactly the org', async t => {
  const { app } = await build(t)
  const res = await api(app, 'GET', '/api/org')
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{"id":1,"name":"Main Org."}')
})

t.test('unauthenticated /api requests are 401 Unauthorized', async t => {
  const { app } = await build(t)
  for (const url of ['/api/org', '/api/user', '/api/users', '/api/orgs']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 401, url)
    t.equal(res.json().message, 'Unauthorized')
  }
})

t.test('basic auth by email works; a wrong password is 401 and a disabled user is refused', async t => {
  const { app } = await build(t)
  t.equal((await api(app, 'GET', '/api/org', undefined, basic('admin@localhost', 'admin'))).statusCode, 200)
  const wrong = await api(app, 'GET', '/api/org', undefined, basic('admin', 'nope'))
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().message, 'Invalid username or password')
  const dana = await addUser(app, 'dana')
  t.equal((await api(app, 'GET', '/api/user', undefined, basic('dana', 'secret-pw'))).statusCode, 200)
  t.same((await api(app, 'POST', `/api/admin/users/${dana}/disable`)).json(), { message: 'User disabled' })
  t.equal((await api(app, 'GET', '/api/user', undefined, basic('dana', 'secret-pw'))).statusCode, 401, 'even with cached credentials')
  t.same((await api(app, 'POST', `/api/admin/users/${dana}/enable`)).json(), { message: 'User enabled' })
  t.equal((await api(app, 'GET', '/api/user', undefined, basic('dana', 'secret-pw'))).statusCode, 200)
})

t.test('a password change is effective at once for basic auth', async t => {
  const { app } = await build(t)
  await addUser(app, 'eli', 'first-pw')
  const eli = basic('eli', 'first-pw')
  t.equal((await api(app, 'GET', '/api/user', undefined, eli)).statusCode, 200)
  t.same((await api(app, 'PUT', '/api/user/password', { oldPassword: 'first-pw', newPassword: 'second-pw' }, eli)).json(), { message: 'User password changed' })
  t.equal((await api(app, 'GET', '/api/user', undefined, eli)).statusCode, 401, 'the old password stopped working')
  t.equal((await api(app, 'GET', '/api/user', undefined, basic('eli', 'second-pw'))).statusCode, 200)
})

t.test('PUT /api/user/password checks the old password and the new one\'s length', async t => {
  const { app } = await build(t)
  const wrong = await api(app, 'PUT', '/api/user/password', { oldPassword: 'nope', newPassword: 'whatever' })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().message, 'Invalid old password')
  const short = await api(app, 'PUT', '/api/user/password', { oldPassword: 'admin', newPassword: 'ab' })
  t.equal(short.statusCode, 400)
  t.equal(short.json().message, 'New password is too short')
})

t.test('the password column holds a salted scrypt hash, not the password', async t => {
  const { app } = await build(t)
  await addUser(app, 'fay', 'same-password')
  await addUser(app, 'gus', 'same-password')
  const rows = await app.db.selectFrom('users').select(['login', 'password']).where('login', 'in', ['fay', 'gus']).execute()
  for (const r of rows) {
    t.match(r.password, /^scrypt\$/)
    t.notOk(r.password!.includes('same-password'))
  }
  t.not(rows[0]!.password, rows[1]!.password, 'per-user salt')
})

t.test('GET /api/user returns the signed-in user\'s profile', async t => {
  const { app } = await build(t)
  const body = (await api(app, 'GET', '/api/user')).json()
  t.match(body, {
    id: 1, email: 'admin@localhost', name: '', login: 'admin', theme: '', orgId: 1, isGrafanaAdmin: true, isDisabled: false, isExternal: false, authLabels: []
  })
  t.match(body.avatarUrl, /^\/avatar\/[0-9a-f]{32}$/)
  t.ok(!Number.isNaN(Date.parse(body.createdAt)))
})

t.test('POST /api/admin/users creates a user in the auto-assign org as Viewer; duplicates are 412', async t => {
  const { app } = await build(t)
  const res = await api(app, 'POST', '/api/admin/users', { name: 'Hal', email: 'hal@example.com', login: 'hal', password: 'hal-pass' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: 2, message: 'User created' }, 'the first user after admin (1)')
  t.same((await api(app, 'GET', '/api/users/2/orgs')).json(), [{ orgId: 1, name: 'Main Org.', role: 'Viewer' }])
  const dup = await api(app, 'POST', '/api/admin/users', { email: 'HAL@example.com', login: 'other', password: 'x-pass' })
  t.equal(dup.statusCode, 412)
  t.equal((await app.db.selectFrom('users').select('id').execute()).length, 2, 'nothing more created')
  const noPw = await api(app, 'POST', '/api/admin/users', { login: 'ivan', password: 'ab' })
  t.equal(noPw.statusCode, 400)
})

t.test('only server admins list, search and create users', async t => {
  const { app } = await build(t)
  const jay = await addUser(app, 'jay')
  const asJay = basic('jay', 'secret-pw')
  for (const [m, u] of [['GET', '/api/users'], ['GET', '/api/users/search'], ['GET', '/api/orgs'], ['GET', '/api/users/1']]) {
    t.equal((await api(app, m!, u!, undefined, asJay)).statusCode, 403, `${m} ${u}`)
  }
  t.equal((await api(app, 'POST', '/api/admin/users', { login: 'x', password: 'xxxx' }, asJay)).statusCode, 403)
  t.equal((await api(app, 'GET', `/api/users/${jay}`, undefined, asJay)).json().login, 'jay', 'a user may read their own record')
})

t.test('GET /api/users and /api/users/search page and filter', async t => {
  const { app } = await build(t)
  await addUser(app, 'kate')
  await addUser(app, 'karl')
  const list = (await api(app, 'GET', '/api/users?perpage=2&page=1')).json()
  t.same(list.map((u: { login: string }) => u.login), ['admin', 'karl'])
  t.match(list[0], { id: 1, isAdmin: true, isDisabled: false, authLabels: [] })
  t.match(list[0].lastSeenAtAge, /./)
  const search = (await api(app, 'GET', '/api/users/search?query=ka&perpage=1&page=2')).json()
  t.same({ ...search, users: search.users.map((u: { login: string }) => u.login) }, { totalCount: 2, users: ['kate'], page: 2, perPage: 1 })
  t.equal((await api(app, 'GET', '/api/users/999')).statusCode, 404)
  t.equal((await api(app, 'GET', '/api/users/abc')).statusCode, 400)
})

t.test('orgs: create, list, rename; names are unique', async t => {
  const { app } = await build(t)
  const created = await api(app, 'POST', '/api/orgs', { name: 'Acme' })
  t.same(created.json(), { orgId: 2, message: 'Organization created' })
  t.same((await api(app, 'GET', '/api/orgs')).json(), [{ id: 2, name: 'Acme' }, { id: 1, name: 'Main Org.' }])
  t.equal((await api(app, 'POST', '/api/orgs', { name: 'acme' })).statusCode, 409)
  t.same((await api(app, 'GET', '/api/orgs/2')).json(),
    { id: 2, name: 'Acme', address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' } })
  t.same((await api(app, 'PUT', '/api/org', { name: 'Main' })).json(), { message: 'Organization updated' })
  t.equal((await api(app, 'PUT', '/api/org', { name: 'Acme' })).statusCode, 409)
  t.equal((await api(app, 'PUT', '/api/org', { name: 123 })).statusCode, 400)
  t.equal((await api(app, 'GET', '/api/orgs/99')).statusCode, 404)
})

t.test('creating orgs needs a server admin unless allow_org_create is on', async t => {
  const off = await build(t)
  await addUser(off.app, 'lee')
  t.equal((await api(off.app, 'POST', '/api/orgs', { name: 'Lee Org' }, basic('lee', 'secret-pw'))).statusCode, 403)
  const on = await build(t, { users: { allow_org_create: true } })
  await addUser(on.app, 'lee')
  const res = await api(on.app, 'POST', '/api/orgs', { name: 'Lee Org' }, basic('lee', 'secret-pw'))
  t.equal(res.statusCode, 200)
  t.same((await api(on.app, 'GET', '/api/user/orgs', undefined, basic('lee', 'secret-pw'))).json(),
    [{ orgId: 2, name: 'Lee Org', role: 'Admin' }, { orgId: 1, name: 'Main Org.', role: 'Viewer' }])
})

t.test('org members: add by login or email, change role, remove; the last admin stays', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/orgs', { name: 'Acme' })
  const mo = await addUser(app, 'mo')
  const add = await api(app, 'POST', '/api/orgs/2/users', { loginOrEmail: 'mo@example.com', role: 'Editor' })
  t.same(add.json(), { message: 'User added to organization', userId: mo })
  t.equal((await api(app, 'POST', '/api/orgs/2/users', { loginOrEmail: 'mo', role: 'Editor' })).statusCode, 409)
  t.equal((await api(app, 'POST', '/api/orgs/2/users', { loginOrEmail: 'ghost', role: 'Editor' })).statusCode, 404)
  t.equal((await api(app, 'POST', '/api/orgs/2/users', { loginOrEmail: 'mo', role: 'Owner' })).statusCode, 400)
  const members = (await api(app, 'GET', '/api/orgs/2/users')).json()
  t.same(members.map((m: { login: string, role: string }) => [m.login, m.role]), [['admin', 'Admin'], ['mo', 'Editor']])
  t.match(members[1], { orgId: 2, userId: mo, email: 'mo@example.com', name: 'MO' })
  t.same((await api(app, 'PATCH', `/api/orgs/2/users/${mo}`, { role: 'Admin' })).json(), { message: 'Organization user updated' })
  t.same((await api(app, 'DELETE', `/api/orgs/2/users/${mo}`)).json(), { message: 'User removed from organization' })
  const last = await api(app, 'DELETE', '/api/orgs/2/users/1')
  t.equal(last.statusCode, 400)
  t.equal(last.json().message, 'Cannot remove last organization admin')
  t.equal((await api(app, 'PATCH', '/api/orgs/2/users/1', { role: 'Viewer' })).statusCode, 400)
  t.equal((await api(app, 'DELETE', `/api/orgs/2/users/${mo}`)).statusCode, 404)
})

t.test('/api/org/users manages the current org and needs its Admin role', async t => {
  const { app } = await build(t)
  await addUser(app, 'ned')
  t.equal((await api(app, 'GET', '/api/org/users', undefined, basic('ned', 'secret-pw'))).statusCode, 403)
  t.equal((await api(app, 'PUT', '/api/org', { name: 'Ned Org' }, basic('ned', 'secret-pw'))).statusCode, 403)
  t.same((await api(app, 'GET', '/api/org/users')).json().map((m: { login: string }) => m.login), ['admin', 'ned'])
})

t.test('X-Grafana-Org-Id and ?targetOrgId= switch orgs for members; a non-member gets 403 and nothing changes', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/orgs', { name: 'Acme' })
  t.same((await api(app, 'GET', '/api/org', undefined, ADMIN, { 'x-grafana-org-id': '2' })).json(), { id: 2, name: 'Acme' })
  t.same((await api(app, 'GET', '/api/org?targetOrgId=2')).json(), { id: 2, name: 'Acme' })
  await addUser(app, 'oz')
  const oz = basic('oz', 'secret-pw')
  const denied = await api(app, 'PUT', '/api/org', { name: 'Hijacked' }, oz, { 'x-grafana-org-id': '2' })
  t.equal(denied.statusCode, 403)
  t.equal(denied.json().message, 'You are not a member of organization 2')
  t.same((await api(app, 'GET', '/api/orgs/2')).json().name, 'Acme')
})

t.test('POST /api/user/using/:id switches the default org for members only', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/orgs', { name: 'Acme' })
  t.same((await api(app, 'POST', '/api/user/using/2')).json(), { message: 'Active organization changed' })
  t.same((await api(app, 'GET', '/api/org')).json(), { id: 2, name: 'Acme' })
  t.equal((await api(app, 'POST', '/api/user/using/99')).statusCode, 401)
})

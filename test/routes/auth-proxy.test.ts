import t from 'tap'
import { build } from '../helpers/build.js'
import { loadConfig } from '../../config/load.js'

const PROXY = { 'auth.proxy': { enabled: true } }
const who = (user: string, more: Record<string, string> = {}) => ({ 'x-webauth-user': user, ...more })

async function userRow (app: Awaited<ReturnType<typeof build>>['app'], login: string) {
  return app.db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst()
}

async function syncCount (app: Awaited<ReturnType<typeof build>>['app']): Promise<number> {
  const text = (await app.inject('/metrics')).body
  return Number(/^gatehouse_auth_proxy_syncs_total (\d+)/m.exec(text)?.[1] ?? 'NaN')
}

t.test('seed 002: the proxy header signs in an existing admin (curl -H "X-WEBAUTH-USER: admin" /api/users)', async t => {
  const { app } = await build(t, PROXY)
  const res = await app.inject({ url: '/api/users', headers: who('admin') })
  t.equal(res.statusCode, 200)
  t.same(res.json().map((u: { login: string }) => u.login), ['admin'])
})

t.test('seed 002: an unknown user is signed up on first request (anthony)', async t => {
  const { app } = await build(t, PROXY)
  const res = await app.inject({ url: '/api/user', headers: who('anthony') })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { login: 'anthony', email: 'anthony', name: '', orgId: 1, isGrafanaAdmin: false })
  const row = await userRow(app, 'anthony')
  t.equal(row?.password, null, 'a proxy user has no password to guess')
  const member = await app.db.selectFrom('org_user').select('role').where('user_id', '=', row!.id).where('org_id', '=', 1).executeTakeFirst()
  t.equal(member?.role, 'Viewer', 'joined the auto-assign org with the auto-assign role')
})

t.test('with auto_sign_up off an unknown user gets 401 and nothing is created', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, auto_sign_up: false } })
  const res = await app.inject({ url: '/api/user', headers: who('mallory') })
  t.equal(res.statusCode, 401)
  t.match(res.json().message, /auto_sign_up/)
  t.equal(await userRow(app, 'mallory'), undefined)
})

t.test('a peer outside the whitelist is refused with its address named and a warning logged', async t => {
  const { app, logs } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '10.0.0.1' } })
  const res = await app.inject({ url: '/api/user', headers: who('anthony'), remoteAddress: '127.0.0.1' })
  t.equal(res.statusCode, 401)
  t.match(res.json().message, /127\.0\.0\.1/)
  t.ok(logs.some(l => l.includes('level=warn') && l.includes('logger=auth.proxy') && l.includes('remote_addr=127.0.0.1')))
  t.equal(await userRow(app, 'anthony'), undefined, 'the user was not signed up')
})

t.test('a spoofed X-Forwarded-For does not get a request past the whitelist', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '10.0.0.1' } })
  const res = await app.inject({
    url: '/api/user', headers: who('admin', { 'x-forwarded-for': '10.0.0.1', 'x-real-ip': '10.0.0.1' }), remoteAddress: '192.0.2.7'
  })
  t.equal(res.statusCode, 401)
  t.match(res.json().message, /192\.0\.2\.7/)
})

t.test('whitelist entries match IPv4 and IPv6 CIDRs, and an IPv4-mapped peer by its IPv4 form', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '192.168.1.0/24, 2001::0/120' } })
  for (const peer of ['192.168.1.77', '2001::23', '::ffff:192.168.1.5']) {
    const res = await app.inject({ url: '/api/user', headers: who('admin'), remoteAddress: peer })
    t.equal(res.statusCode, 200, `${peer} is allowed`)
  }
  for (const peer of ['192.168.2.1', '2001::1:0', '::ffff:10.0.0.1']) {
    const res = await app.inject({ url: '/api/user', headers: who('admin'), remoteAddress: peer })
    t.equal(res.statusCode, 401, `${peer} is refused`)
  }
})

t.test('a bare IPv6 whitelist entry is that one address, not a /32', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '2001:db8::1' } })
  t.equal((await app.inject({ url: '/api/user', headers: who('admin'), remoteAddress: '2001:db8::1' })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/user', headers: who('admin'), remoteAddress: '2001:db8:ffff::2' })).statusCode, 401)
})

t.test('header_property email signs users in and up by email', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, header_property: 'email' } })
  const res = await app.inject({ url: '/api/user', headers: who('bob@example.com') })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { login: 'bob@example.com', email: 'bob@example.com' })
  const admin = await app.inject({ url: '/api/user', headers: who('admin@localhost') })
  t.equal(admin.json().login, 'admin', 'an existing user is found by email')
})

t.test('synced headers set name, email, login and role, and a missing Role never demotes', async t => {
  const headers = 'Name:X-WEBAUTH-NAME Email:X-WEBAUTH-EMAIL Login:X-WEBAUTH-LOGIN Role:X-WEBAUTH-ROLE'
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers } })
  const first = await app.inject({
    url: '/api/user', headers: who('carol', { 'x-webauth-name': 'Carol C', 'x-webauth-email': 'carol@example.com', 'x-webauth-role': 'Admin' })
  })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { login: 'carol', name: 'Carol C', email: 'carol@example.com' })
  const id = first.json().id
  const role = async () => (await app.db.selectFrom('org_user').select('role').where('user_id', '=', id).where('org_id', '=', 1).executeTakeFirst())?.role
  t.equal(await role(), 'Admin')

  await app.inject({ url: '/api/user', headers: who('carol', { 'x-webauth-role': 'Editor' }) })
  t.equal(await role(), 'Editor', 'a new Role header changes the role')
  await app.inject({ url: '/api/user', headers: who('carol') })
  t.equal(await role(), 'Editor', 'no Role header leaves the role alone')

  const renamed = await app.inject({ url: '/api/user', headers: who('carol', { 'x-webauth-name': 'Carol D' }) })
  t.equal(renamed.json().name, 'Carol D')
})

t.test('an invalid role header is a 400 and creates nothing', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Role:X-WEBAUTH-ROLE' } })
  const res = await app.inject({ url: '/api/user', headers: who('dave', { 'x-webauth-role': 'Superuser' }) })
  t.equal(res.statusCode, 400)
  t.match(res.json().message, /role "Superuser" is invalid/)
  t.equal(await userRow(app, 'dave'), undefined)
})

t.test('headers_encoded decodes quoted-printable values; off, they are kept as sent', async t => {
  const on = await build(t, { 'auth.proxy': { enabled: true, headers_encoded: true, headers: 'Name:X-WEBAUTH-NAME' } })
  const res = await on.app.inject({ url: '/api/user', headers: who('erin', { 'x-webauth-name': 'M=C3=BCnchen' }) })
  t.equal(res.json().name, 'München')
  const off = await build(t, { 'auth.proxy': { enabled: true, headers: 'Name:X-WEBAUTH-NAME' } })
  const raw = await off.app.inject({ url: '/api/user', headers: who('erin', { 'x-webauth-name': 'M=C3=BCnchen' }) })
  t.equal(raw.json().name, 'M=C3=BCnchen')
})

t.test('a decoded control character in a header is refused with 400', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers_encoded: true } })
  const res = await app.inject({ url: '/api/user', headers: who('eve=0Aadmin') })
  t.equal(res.statusCode, 400)
  t.match(res.json().message, /control characters/)
})

t.test('within sync_ttl a burst of requests syncs once; a changed header syncs again', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Name:X-WEBAUTH-NAME' } })
  for (let i = 0; i < 5; i++) {
    t.equal((await app.inject({ url: '/api/org', headers: who('frank', { 'x-webauth-name': 'Frank' }) })).statusCode, 200)
  }
  t.equal(await syncCount(app), 1)
  const res = await app.inject({ url: '/api/user', headers: who('frank', { 'x-webauth-name': 'Franklin' }) })
  t.equal(res.json().name, 'Franklin')
  t.equal(await syncCount(app), 2)
})

t.test('sync_ttl = 0 syncs on every request', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, sync_ttl: 0 } })
  for (let i = 0; i < 3; i++) await app.inject({ url: '/api/org', headers: who('gina') })
  t.equal(await syncCount(app), 3)
})

t.test('a disabled user is refused even while cached', async t => {
  const { app } = await build(t, PROXY)
  t.equal((await app.inject({ url: '/api/user', headers: who('hank') })).statusCode, 200)
  await app.db.updateTable('users').set({ is_disabled: true }).where('login', '=', 'hank').execute()
  t.equal((await app.inject({ url: '/api/user', headers: who('hank') })).statusCode, 401)
})

t.test('enable_login_token: /login with the header sets a session cookie that works alone', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, enable_login_token: true } })
  const login = await app.inject({ url: '/login', headers: who('ivy') })
  const cookie = login.cookies.find(c => c.name === 'grafana_session')
  t.ok(cookie, 'a session cookie was set')
  const res = await app.inject({ url: '/api/user', cookies: { grafana_session: cookie!.value } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().login, 'ivy')
})

t.test('without enable_login_token no cookie is set', async t => {
  const { app } = await build(t, PROXY)
  const res = await app.inject({ url: '/login', headers: who('ivy') })
  t.notOk(res.cookies.some(c => c.name === 'grafana_session'))
})

t.test('the proxy is off by default: the header alone is not a credential', async t => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/api/user', headers: who('admin') })
  t.equal(res.statusCode, 401)
})

t.test('bad [auth.proxy] settings stop the start with the key and value named', async t => {
  const load = (proxy: Record<string, string>) => () => loadConfig({ argv: [], env: {}, overrides: { 'auth.proxy': proxy } })
  t.throws(load({ whitelist: '10.0.0.1, not-an-ip' }), /\[auth\.proxy\] whitelist = .*"not-an-ip" is not an IP address/)
  t.throws(load({ header_property: 'phone' }), /\[auth\.proxy\] header_property = "phone": must be one of username, email/)
  t.throws(load({ headers: 'Shoe:X-SHOE' }), /\[auth\.proxy\] headers = .*Field:Header-Name/)
  t.throws(load({ sync_ttl: 'soon' }), /\[auth\.proxy\] sync_ttl = "soon": must be an integer/)
})

t.test('the Role header applies to the auto-assign org only, even when another org is requested', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, headers: 'Role:X-WEBAUTH-ROLE' } })
  const org2 = (await app.inject({
    method: 'POST', url: '/api/orgs', headers: { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') }, payload: { name: 'Second' }
  })).json().orgId
  const jo = (await app.inject({ url: '/api/user', headers: who('jo') })).json().id
  await app.inject({
    method: 'POST',
    url: `/api/orgs/${org2}/users`,
    headers: { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') },
    payload: { loginOrEmail: 'jo', role: 'Viewer' }
  })

  const res = await app.inject({ url: '/api/org', headers: who('jo', { 'x-webauth-role': 'Admin', 'x-grafana-org-id': String(org2) }) })
  t.same(res.json(), { id: org2, name: 'Second' }, 'the request acts in the requested org')
  const roles = await app.db.selectFrom('org_user').select(['org_id', 'role']).where('user_id', '=', jo).orderBy('org_id').execute()
  t.same(roles, [{ org_id: 1, role: 'Admin' }, { org_id: org2, role: 'Viewer' }])
})

t.test('?targetOrgId= picks the org for a proxied user, and a foreign org is refused with 403', async t => {
  const { app } = await build(t, PROXY)
  await app.inject({ url: '/api/user', headers: who('kim') })
  const mine = await app.inject({ url: '/api/org?targetOrgId=1', headers: who('kim') })
  t.same(mine.json(), { id: 1, name: 'Main Org.' })
  const foreign = await app.inject({ url: '/api/org?targetOrgId=77', headers: who('kim') })
  t.equal(foreign.statusCode, 403)
  t.match(foreign.json().message, /77/)
})

t.test('a session cookie still works beside a proxy header from an untrusted peer, as the cookie user', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true, whitelist: '10.0.0.1' } })
  const login = await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } })
  const cookie = login.cookies.find(c => c.name === 'grafana_session')!.value
  const res = await app.inject({ url: '/api/user', headers: who('mallory'), cookies: { grafana_session: cookie } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().login, 'admin', 'the forged header gained nothing')
})

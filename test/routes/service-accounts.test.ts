import t from 'tap'
import { ADMIN, build, type App, api } from '../helpers/build.js'

async function account (app: App, name = 'Grafana Reporter', role = 'Editor') {
  return (await api(app, 'POST', '/api/serviceaccounts', { name, role })).json()
}

t.test('POST /api/serviceaccounts answers 201 with the account', async t => {
  const { app } = await build(t)
  const res = await api(app, 'POST', '/api/serviceaccounts', { name: 'Grafana Reporter', role: 'Editor', isDisabled: false })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { id: 2, name: 'Grafana Reporter', login: 'sa-1-grafana-reporter', orgId: 1, isDisabled: false, role: 'Editor', tokens: 0, teams: [] })
  t.equal((await api(app, 'POST', '/api/serviceaccounts', { name: 'grafana reporter' })).statusCode, 409)
  t.equal((await api(app, 'POST', '/api/serviceaccounts', { name: 'x', role: 'Owner' })).statusCode, 400)
})

t.test('a glsa_ token acts as the service account with its role, and is shown once', async t => {
  const { app } = await build(t)
  const sa = await account(app)
  const tok = await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ci', secondsToLive: 3600 })
  t.equal(tok.statusCode, 200)
  t.match(tok.json(), { id: 1, name: 'ci', key: /^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}$/ })
  const key = tok.json().key
  t.same((await app.inject({ url: '/api/org', headers: { authorization: `Bearer ${key}` } })).json(), { id: 1, name: 'Main Org.' })
  t.equal((await app.inject({ method: 'PUT', url: '/api/org', headers: { authorization: `Bearer ${key}` }, payload: { name: 'x' } })).statusCode, 403,
    'an Editor cannot rename the org')
  const list = (await api(app, 'GET', `/api/serviceaccounts/${sa.id}/tokens`)).json()
  t.match(list, [{ id: 1, name: 'ci', hasExpired: false, isRevoked: false, lastUsedAt: null, expiration: /Z$/ }])
  t.ok(list[0].secondsUntilExpiration > 3500 && list[0].secondsUntilExpiration <= 3600)
  t.notOk(JSON.stringify(list).includes(key.slice(5, 37)), 'the list never shows the token')
  t.equal((await api(app, 'GET', `/api/serviceaccounts/${sa.id}`)).json().tokens, 1)
})

t.test('a token with a wrong checksum is refused', async t => {
  const { app } = await build(t)
  const sa = await account(app)
  const key: string = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ci' })).json().key
  const bad = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0')
  const res = await app.inject({ url: '/api/org', headers: { authorization: `Bearer ${bad}` } })
  t.equal(res.statusCode, 401)
  t.equal(res.json().message, 'Invalid API key')
})

t.test('disabling a service account stops its tokens; enabling restores them', async t => {
  const { app } = await build(t)
  const sa = await account(app)
  const key = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ci' })).json().key
  const use = () => app.inject({ url: '/api/org', headers: { authorization: `Bearer ${key}` } })
  t.equal((await use()).statusCode, 200)
  const patched = await api(app, 'PATCH', `/api/serviceaccounts/${sa.id}`, { isDisabled: true })
  t.match(patched.json(), { message: 'Service account updated', id: sa.id, serviceaccount: { isDisabled: true } })
  const refused = await use()
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().message, 'Service account is disabled')
  await api(app, 'PATCH', `/api/serviceaccounts/${sa.id}`, { isDisabled: false, role: 'Admin', name: 'Renamed' })
  t.equal((await use()).statusCode, 200)
  t.equal((await app.inject({ method: 'PUT', url: '/api/org', headers: { authorization: `Bearer ${key}` }, payload: { name: 'Renamed Org' } })).statusCode, 200,
    'the new role applies at once')
})

t.test('deleting a token or the account stops it at once', async t => {
  const { app } = await build(t)
  const sa = await account(app)
  const a = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'a' })).json()
  const b = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'b' })).json()
  const use = (k: string) => app.inject({ url: '/api/org', headers: { authorization: `Bearer ${k}` } })
  t.equal((await use(a.key)).statusCode, 200)
  t.same((await api(app, 'DELETE', `/api/serviceaccounts/${sa.id}/tokens/${a.id}`)).json(), { message: 'Service account token deleted' })
  t.equal((await use(a.key)).statusCode, 401)
  t.equal((await api(app, 'DELETE', `/api/serviceaccounts/${sa.id}/tokens/${a.id}`)).statusCode, 404)
  t.equal((await use(b.key)).statusCode, 200)
  t.same((await api(app, 'DELETE', `/api/serviceaccounts/${sa.id}`)).json(), { message: 'Service account deleted' })
  t.equal((await use(b.key)).statusCode, 401)
  t.equal((await api(app, 'GET', `/api/serviceaccounts/${sa.id}`)).statusCode, 404)
})

t.test('search pages and filters; service accounts stay out of user lists and cannot sign in', async t => {
  const { app } = await build(t)
  await account(app, 'alpha-bot')
  await account(app, 'beta-bot')
  const res = (await api(app, 'GET', '/api/serviceaccounts/search?query=bot&perpage=1&page=2')).json()
  t.same({ ...res, serviceAccounts: res.serviceAccounts.map((s: { name: string }) => s.name) },
    { totalCount: 2, serviceAccounts: ['beta-bot'], page: 2, perPage: 1 })
  t.same((await api(app, 'GET', '/api/users')).json().map((u: { login: string }) => u.login), ['admin'])
  t.same((await api(app, 'GET', '/api/org/users')).json().map((u: { login: string }) => u.login), ['admin'])
  const rows = await app.db.selectFrom('users').select(['is_admin', 'password']).where('is_service_account', '=', true).execute()
  t.same(rows, [{ is_admin: false, password: null }, { is_admin: false, password: null }], 'never server admins, no password')
})

t.test('tokens follow api_key_max_seconds_to_live', async t => {
  const { app } = await build(t, { auth: { api_key_max_seconds_to_live: 60 } })
  const sa = await account(app)
  t.equal((await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'forever' })).statusCode, 400)
  t.equal((await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ok', secondsToLive: 60 })).statusCode, 200)
})

t.test('service accounts are per org and for org admins only', async t => {
  const { app } = await build(t)
  const sa = await account(app)
  await api(app, 'POST', '/api/orgs', { name: 'Two' })
  const other = await app.inject({ url: `/api/serviceaccounts/${sa.id}`, headers: { authorization: ADMIN, 'x-grafana-org-id': '2' } })
  t.equal(other.statusCode, 404)
  const key = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ci' })).json().key
  t.equal((await app.inject({ url: '/api/serviceaccounts/search', headers: { authorization: `Bearer ${key}` } })).statusCode, 403,
    'an Editor token cannot list accounts')
})

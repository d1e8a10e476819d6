// Who may still read an org after leaving it, and what basic auth as `api_key` means
// (issue 12, items 2b and 11).
import t from 'tap'
import { ADMIN, basic, build } from '../helpers/build.js'

type App = Awaited<ReturnType<typeof build>>['app']
const call = (app: App, method: string, url: string, payload?: object, auth = ADMIN, extra: Record<string, string> = {}) =>
  app.inject({ method: method as 'GET', url, headers: { authorization: auth, ...extra }, ...(payload !== undefined ? { payload } : {}) })

async function addUser (app: App, login: string): Promise<number> {
  const res = await call(app, 'POST', '/api/admin/users', { login, email: `${login}@example.com`, password: 'bob-secret' })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().id
}

t.test('org membership', async t => {
  const { app } = await build(t)
  const bob = basic('bob', 'bob-secret')

  t.test('removing a user\'s last org membership deletes the user, as Grafana does: nothing of the org stays readable', async t => {
    const id = await addUser(app, 'bob')
    t.equal((await call(app, 'GET', '/api/org', undefined, bob)).statusCode, 200, 'bob reads his org while a member (and his credentials are cached)')
    const removed = await call(app, 'DELETE', `/api/org/users/${id}`)
    t.equal(removed.statusCode, 200)
    t.same(removed.json(), { message: 'User deleted' })
    for (const extra of [{}, { 'x-grafana-org-id': '1' }] as Array<Record<string, string>>) {
      const res = await call(app, 'GET', '/api/org', undefined, bob, extra)
      t.equal(res.statusCode, 401, JSON.stringify(extra))
      t.notMatch(res.body, /Main Org/)
    }
    t.equal((await app.db.selectFrom('users').select('id').where('id', '=', id).execute()).length, 0, 'the user row is gone')
    t.equal((await call(app, 'GET', `/api/users/${id}`)).statusCode, 404)
  })

  t.test('a user who keeps another org is only removed, and their current org moves there', async t => {
    const id = await addUser(app, 'carol')
    await call(app, 'POST', '/api/orgs', { name: 'Carol Org' })
    const orgId = (await call(app, 'GET', '/api/orgs?query=Carol')).json()[0].id
    t.equal((await call(app, 'POST', `/api/orgs/${orgId}/users`, { loginOrEmail: 'carol', role: 'Viewer' })).statusCode, 200)
    const removed = await call(app, 'DELETE', `/api/orgs/1/users/${id}`)
    t.same(removed.json(), { message: 'User removed from organization' })
    const carol = basic('carol', 'bob-secret')
    t.same((await call(app, 'GET', '/api/org', undefined, carol)).json(), { id: orgId, name: 'Carol Org' })
    t.equal((await call(app, 'GET', '/api/org', undefined, carol, { 'x-grafana-org-id': '1' })).statusCode, 403)
  })

  t.test('a user with no membership in their current org reads nothing of it', async t => {
    // Not reachable through the API any more; a row edited by hand (or an older version) must not open the org.
    const id = await addUser(app, 'dave')
    await app.db.deleteFrom('org_user').where('user_id', '=', id).execute()
    const res = await call(app, 'GET', '/api/org', undefined, basic('dave', 'bob-secret'))
    t.equal(res.statusCode, 403)
    t.notMatch(res.body, /Main Org/)
  })
})

t.test('basic auth as api_key is an API key, never a password login for a user called api_key', async t => {
  const { app } = await build(t, { security: { brute_force_login_protection_max_attempts: 2 } })
  for (let i = 0; i < 6; i++) {
    for (const key of ['not-a-key', '', 'eyJrIjoiYWJjIiwibiI6Im4iLCJpZCI6MX0=']) {
      const res = await call(app, 'GET', '/api/org', undefined, basic('api_key', key))
      t.equal(res.statusCode, 401, `attempt ${i} with "${key}"`)
      t.equal(res.json().message, 'Invalid API key')
    }
  }
  t.equal((await app.db.selectFrom('login_attempt').select('id').execute()).length, 0, 'no login attempt was counted')
  // A real user called api_key signs in by the login form, unaffected by bad keys.
  await addUser(app, 'api_key')
  const login = await app.inject({ method: 'POST', url: '/login', payload: { user: 'api_key', password: 'bob-secret' } })
  t.equal(login.statusCode, 200)
  const key = (await call(app, 'POST', '/api/auth/keys', { name: 'k', role: 'Viewer' })).json().key
  t.equal((await call(app, 'GET', '/api/org', undefined, basic('api_key', key))).statusCode, 200, 'a good key still works')
})

import t from 'tap'
import { ADMIN, basic, build, type App } from '../helpers/build.js'
import { decodeServiceAccountToken, encodeServiceAccountToken } from '../../plugins/api-keys/format.js'

const bearer = (key: string) => `Bearer ${key}`
const createKey = async (app: App, body: object, auth = ADMIN, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/keys', headers: { authorization: auth, ...extra }, payload: body })
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

t.test('seed 003: create a key, use it as Bearer and as api_key basic auth, list it, delete it', async t => {
  const { app } = await build(t)
  const created = await createKey(app, { name: 'mykey', role: 'Admin', secondsToLive: 86400 })
  t.equal(created.statusCode, 200)
  const body = created.json()
  t.same(Object.keys(body), ['name', 'key', 'id'])
  t.equal(body.name, 'mykey')
  t.same(JSON.parse(Buffer.from(body.key, 'base64').toString()), { k: JSON.parse(Buffer.from(body.key, 'base64').toString()).k, n: 'mykey', id: 1 })

  t.equal((await app.inject({ url: '/api/org', headers: { authorization: bearer(body.key) } })).body, '{"id":1,"name":"Main Org."}')
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: basic('api_key', body.key) } })).body, '{"id":1,"name":"Main Org."}')

  const list = await app.inject({ url: '/api/auth/keys', headers: { authorization: bearer(body.key) } })
  t.equal(list.statusCode, 200)
  t.match(list.json(), [{ id: body.id, name: 'mykey', role: 'Admin', expiration: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ }])

  const del = await app.inject({ method: 'DELETE', url: `/api/auth/keys/${body.id}`, headers: { authorization: ADMIN } })
  t.same(del.json(), { message: 'API key deleted' })
  const after = await app.inject({ url: '/api/org', headers: { authorization: bearer(body.key) } })
  t.equal(after.statusCode, 401, 'a deleted key stops working at once')
  t.equal(after.json().message, 'Invalid API key')
})

t.test('seed 003: X-Grafana-Org-Id creates the key in that org, and the key acts there only', async t => {
  const { app } = await build(t)
  await app.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: ADMIN }, payload: { name: 'Org Two' } })
  const key = (await createKey(app, { name: 'mykey', role: 'Admin', secondsToLive: 86400 }, ADMIN, { 'x-grafana-org-id': '2' })).json().key
  t.equal(JSON.parse(Buffer.from(key, 'base64').toString()).id, 2)
  t.same((await app.inject({ url: '/api/org', headers: { authorization: bearer(key) } })).json(), { id: 2, name: 'Org Two' })
  const cross = await app.inject({ url: '/api/org', headers: { authorization: bearer(key), 'x-grafana-org-id': '1' } })
  t.equal(cross.statusCode, 401)
  t.equal(cross.json().message, 'API key does not belong to the requested organization')
  t.same((await app.inject({ url: '/api/auth/keys', headers: { authorization: ADMIN } })).json(), [], 'org 1 lists none of org 2\'s keys')
})

t.test('a key without secondsToLive never expires; a 1-second key expires', async t => {
  const { app } = await build(t)
  const forever = (await createKey(app, { name: 'forever', role: 'Viewer' })).json().key
  const brief = (await createKey(app, { name: 'brief', role: 'Viewer', secondsToLive: 1 })).json().key
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: bearer(brief) } })).statusCode, 200)
  await sleep(1100)
  const expired = await app.inject({ url: '/api/org', headers: { authorization: bearer(brief) } })
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().message, 'Expired API key')
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: bearer(forever) } })).statusCode, 200)
  const listed = (await app.inject({ url: '/api/auth/keys', headers: { authorization: ADMIN } })).json()
  t.same(listed, [{ id: 1, name: 'forever', role: 'Viewer' }], 'expired keys are hidden and a key without expiry has no expiration field')
  const all = (await app.inject({ url: '/api/auth/keys?includeExpired=true', headers: { authorization: ADMIN } })).json()
  t.same(all.map((k: { name: string }) => k.name), ['brief', 'forever'])
})

t.test('secondsToLive rules with and without api_key_max_seconds_to_live', async t => {
  const free = await build(t)
  t.equal((await createKey(free.app, { name: 'neg', role: 'Viewer', secondsToLive: -5 })).statusCode, 400)
  t.equal((await createKey(free.app, { name: 'null', role: 'Viewer', secondsToLive: null })).statusCode, 200)
  const limited = await build(t, { auth: { api_key_max_seconds_to_live: 3600 } })
  const missing = await createKey(limited.app, { name: 'a', role: 'Viewer' })
  t.equal(missing.statusCode, 400)
  t.equal(missing.json().message, 'Number of seconds before expiration should be set')
  const over = await createKey(limited.app, { name: 'b', role: 'Viewer', secondsToLive: 3601 })
  t.equal(over.statusCode, 400)
  t.equal(over.json().message, 'Number of seconds before expiration is greater than the global limit')
  t.equal((await createKey(limited.app, { name: 'c', role: 'Viewer', secondsToLive: 3600 })).statusCode, 200)
  t.equal((await limited.app.db.selectFrom('api_key').select('name').execute()).length, 1, 'refused keys were not stored')
})

t.test('bad create requests: unknown role names the allowed values, duplicate names are 409', async t => {
  const { app } = await build(t)
  const role = await createKey(app, { name: 'k', role: 'Owner' })
  t.equal(role.statusCode, 400)
  t.equal(role.json().message, 'bad request data: role must be one of Viewer, Editor, Admin')
  t.equal((await createKey(app, { role: 'Viewer' })).statusCode, 400)
  t.equal((await createKey(app, { name: 'k', role: 'Viewer', secondsToLive: '60' })).statusCode, 400)
  await createKey(app, { name: 'k', role: 'Viewer' })
  const dup = await createKey(app, { name: 'k', role: 'Admin' })
  t.equal(dup.statusCode, 409)
  t.equal(dup.json().message, 'API key, organization ID and name must be unique')
})

t.test('only org admins manage keys; a Viewer key cannot create keys or rename the org', async t => {
  const { app } = await build(t)
  const viewer = (await createKey(app, { name: 'viewer', role: 'Viewer' })).json().key
  t.equal((await createKey(app, { name: 'sneaky', role: 'Admin' }, bearer(viewer))).statusCode, 403)
  t.equal((await app.inject({ method: 'PUT', url: '/api/org', headers: { authorization: bearer(viewer) }, payload: { name: 'Pwned' } })).statusCode, 403)
  t.equal((await app.inject({ url: '/api/auth/keys', headers: { authorization: bearer(viewer) } })).statusCode, 403)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/auth/keys/1', headers: { authorization: bearer(viewer) } })).statusCode, 403)
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: bearer(viewer) } })).statusCode, 200)
  const editor = (await createKey(app, { name: 'editor', role: 'Editor' })).json().key
  t.equal((await createKey(app, { name: 'sneaky', role: 'Admin' }, bearer(editor))).statusCode, 403)
  t.equal((await app.db.selectFrom('api_key').select('name').where('name', '=', 'sneaky').execute()).length, 0)
})

t.test('deleting an unknown key or another org\'s key is a 404', async t => {
  const { app } = await build(t)
  await app.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: ADMIN }, payload: { name: 'Org Two' } })
  const other = (await createKey(app, { name: 'theirs', role: 'Viewer' }, ADMIN, { 'x-grafana-org-id': '2' })).json()
  t.equal((await app.inject({ method: 'DELETE', url: '/api/auth/keys/999', headers: { authorization: ADMIN } })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/auth/keys/${other.id}`, headers: { authorization: ADMIN } })).statusCode, 404)
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: bearer(other.key) } })).statusCode, 200, 'their key still works')
})

t.test('tampered, truncated and forged keys are 401 JSON, never 500', async t => {
  const { app } = await build(t)
  const key = (await createKey(app, { name: 'real', role: 'Admin' })).json().key as string
  const decoded = JSON.parse(Buffer.from(key, 'base64').toString())
  // A different last character (a fixed 'x' equals the real one once in ~60 keys: the key then works).
  const lastChanged = decoded.k.slice(0, -1) + (decoded.k.endsWith('x') ? 'y' : 'x')
  const forged = [
    Buffer.from(JSON.stringify({ ...decoded, n: 'other' })).toString('base64'),
    Buffer.from(JSON.stringify({ ...decoded, id: 2 })).toString('base64'),
    Buffer.from(JSON.stringify({ ...decoded, k: lastChanged })).toString('base64'),
    key.slice(0, 20),
    'not base64 at all!',
    Buffer.from('{"k":1}').toString('base64'),
    'glsa_' + 'a'.repeat(32) + '_00000000',
    encodeServiceAccountToken('b'.repeat(32)),
    'x'.repeat(5000)
  ]
  for (const bad of forged) {
    const res = await app.inject({ url: '/api/org', headers: { authorization: bearer(bad) } })
    t.equal(res.statusCode, 401, bad.slice(0, 30))
    t.equal(res.json().message, 'Invalid API key')
  }
})

t.test('a key of a deleted org stops working', async t => {
  const { app } = await build(t)
  await app.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: ADMIN }, payload: { name: 'Doomed' } })
  const key = (await createKey(app, { name: 'k', role: 'Admin' }, ADMIN, { 'x-grafana-org-id': '2' })).json().key
  await app.db.deleteFrom('org').where('id', '=', 2).execute()
  await sleep(5100) // past the identity cache's TTL, as another instance would be
  const res = await app.inject({ url: '/api/org', headers: { authorization: bearer(key) } })
  t.equal(res.statusCode, 401)
  t.equal(res.json().message, 'Invalid API key')
})

t.test('the database holds no plaintext key, and the key is shown only once', async t => {
  const { app, logs } = await build(t, { server: { router_logging: true } })
  const key = (await createKey(app, { name: 'secretive', role: 'Admin' })).json().key as string
  const secret = JSON.parse(Buffer.from(key, 'base64').toString()).k
  await app.inject({ url: '/api/org', headers: { authorization: bearer(key) } })
  const rows = JSON.stringify(await app.db.selectFrom('api_key').selectAll().execute())
  t.notOk(rows.includes(secret), 'secret not stored')
  t.notOk(rows.includes(key), 'key not stored')
  t.notOk(logs.join('').includes(secret), 'secret not logged')
  t.notOk((await app.inject({ url: '/api/auth/keys', headers: { authorization: ADMIN } })).body.includes(secret))
})

t.test('lastUsedAt is recorded in batches, flushed at the latest on close', async t => {
  const { app } = await build(t)
  const sa = (await app.inject({ method: 'POST', url: '/api/serviceaccounts', headers: { authorization: ADMIN }, payload: { name: 'bot' } })).json()
  const token = (await app.inject({
    method: 'POST', url: `/api/serviceaccounts/${sa.id}/tokens`, headers: { authorization: ADMIN }, payload: { name: 't' }
  })).json()
  for (let i = 0; i < 3; i++) await app.inject({ url: '/api/org', headers: { authorization: bearer(token.key) } })
  const before = await app.db.selectFrom('api_key').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow()
  t.equal(before.last_used_at, null, 'no write per request')
  await app.apiKeys.flush()
  const after = await app.db.selectFrom('api_key').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow()
  t.ok(after.last_used_at instanceof Date)
})

t.test('glsa_ checksum matches Grafana\'s test vector', async t => {
  t.equal(decodeServiceAccountToken('glsa_iNValIdinValiDinvalidinvalidinva_5b582697'), 'iNValIdinValiDinvalidinvalidinva')
  t.equal(decodeServiceAccountToken('glsa_iNValIdinValiDinvalidinvalidinva_5b582698'), undefined)
  t.match(encodeServiceAccountToken('iNValIdinValiDinvalidinvalidinva'), /_5b582697$/)
})

t.test('an API key is tried before the auth proxy header: the key wins', async t => {
  const { app } = await build(t, { 'auth.proxy': { enabled: true } })
  const key = (await createKey(app, { name: 'k', role: 'Viewer' })).json().key
  const res = await app.inject({ url: '/api/org', headers: { authorization: bearer(key), 'x-webauth-user': 'someone' } })
  t.equal(res.statusCode, 200)
  t.equal(await app.db.selectFrom('users').select('id').where('login', '=', 'someone').executeTakeFirst(), undefined, 'the header was not used')
})

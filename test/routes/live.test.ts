// Live websocket: authentication and the origin rule before the upgrade, the real centrifuge
// client connecting, subscribing and receiving publications.
import t from 'tap'
import { ADMIN, basic, build, sessionCookie, api } from '../helpers/build.js'
import { clients, listen, nextEvent, nextPublication, refusedUpgrade, subscribed } from '../helpers/live.js'

t.test('basic auth: the centrifuge client connects, subscribes to a broadcast channel and receives an HTTP publish', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const sub = c.newSubscription('1/grafana/broadcast/news')
  t.same(await subscribed(sub), { state: 'subscribed' })
  const got = nextPublication(sub)
  const res = await api(app, 'POST', '/api/live/publish', { channel: 'grafana/broadcast/news', data: { hello: 'world', n: 1 } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{}')
  t.same(await got, { hello: 'world', n: 1 })
})

t.test('a session cookie, an API key and a service account token each open the websocket', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const cookie = sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
  const key = (await api(app, 'POST', '/api/auth/keys', { name: 'live', role: 'Viewer' })).json().key
  const sa = (await api(app, 'POST', '/api/serviceaccounts', { name: 'robot', role: 'Viewer' })).json()
  const token = (await api(app, 'POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ws' })).json().key
  const cs = clients(t)
  const credentials: Array<[string, Record<string, string>]> = [
    ['cookie', { cookie: `grafana_session=${cookie}` }], ['API key', { authorization: `Bearer ${key}` }],
    ['service account token', { authorization: `Bearer ${token}` }]
  ]
  for (const [name, headers] of credentials) {
    const c = await cs.connect(url, headers)
    t.equal(c.state, 'connected', name)
  }
})

t.test('without credentials the upgrade is refused with 401 JSON, before any websocket exists', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const res = await refusedUpgrade(url, {})
  t.equal(res.status, 401)
  t.match(res.contentType, /^application\/json/)
  t.same(JSON.parse(res.body), { message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401 })
  t.equal(await res.closed, true, 'the server closes the refused socket')
  const wrong = await refusedUpgrade(url, { authorization: basic('admin', 'nope') })
  t.equal(wrong.status, 401)
  t.equal(await wrong.closed, true)
  t.equal(app.websocketServer.clients.size, 0)
})

t.test('a foreign Origin is refused with 403 before the upgrade, and logged on logger=live', async t => {
  const { app, logs } = await build(t, { server: { root_url: 'http://localhost:3000/' } })
  const url = await listen(app)
  const res = await refusedUpgrade(url, { authorization: ADMIN, origin: 'https://evil.example' })
  t.equal(res.status, 403)
  t.same(JSON.parse(res.body), { message: 'Origin not allowed' }, 'the message seed 000 shows for Live')
  const line = logs.find(l => l.includes('msg="Origin check failed"'))
  t.ok(line)
  t.match(line, /level=warn logger=live msg="Origin check failed" origin=https:\/\/evil\.example allowed=http:\/\/localhost:3000(\s|$)/)
})

t.test('root_url\'s origin, the request host and [live] allowed_origins may open the websocket', async t => {
  const { app } = await build(t, { server: { root_url: 'http://grafana.example:3000/' }, live: { allowed_origins: 'https://*.trusted.example' } })
  const url = await listen(app)
  const cs = clients(t)
  for (const origin of ['http://grafana.example:3000', new URL(url).origin.replace(/^ws/, 'http'), 'https://app.trusted.example']) {
    const c = await cs.connect(url, { authorization: ADMIN, origin })
    t.equal(c.state, 'connected', origin)
  }
  t.equal((await refusedUpgrade(url, { authorization: ADMIN, origin: 'https://trusted.example.evil' })).status, 403)
})

t.test('a session cookie from an origin allowed only by [live] allowed_origins opens the websocket; CSRF still guards its POSTs', async t => {
  const { app } = await build(t, { live: { allowed_origins: 'https://app.trusted.example' } })
  const url = await listen(app)
  const cookie = `grafana_session=${sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!}`
  const c = await clients(t).connect(url, { cookie, origin: 'https://app.trusted.example' })
  t.equal(c.state, 'connected')
  t.equal((await refusedUpgrade(url, { cookie, origin: 'https://evil.example' })).status, 403)
  const post = await app.inject({ method: 'POST', url: '/api/live/publish', headers: { cookie, origin: 'https://app.trusted.example' }, payload: { channel: 'grafana/broadcast/x', data: {} } })
  t.equal(post.statusCode, 403)
  t.equal(post.json().message, 'origin not allowed')
})

t.test('a channel of another org is refused with 103 permission denied; the subscription is unsubscribed', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/orgs', { name: 'Org Two' })
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  t.same(await subscribed(c.newSubscription('2/grafana/broadcast/news')), { state: 'unsubscribed', code: 103, reason: 'permission denied' })
})

t.test('subscribe and publish errors use Grafana\'s codes: invalid channel 400, data source stream 404, stream publish 403', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  t.same(await subscribed(c.newSubscription('1/grafana/broadcast/bad channel')), { state: 'unsubscribed', code: 400, reason: 'invalid channel ID' })
  t.same(await subscribed(c.newSubscription('1/ds/some-uid/path')), { state: 'unsubscribed', code: 404, reason: 'Not Found' })
  const err = await c.publish('1/stream/telegraf/cpu', { x: 1 }).catch(e => e)
  t.same(err, { code: 403, message: 'Forbidden', temporary: false })
})

t.test('a channel of an unknown scope or namespace is a 404 over HTTP and on the websocket (Grafana: 500), and no error is logged', async t => {
  const { app, logs } = await build(t)
  for (const channel of ['foo/bar/baz', 'grafana/other/x']) {
    const res = await api(app, 'POST', '/api/live/publish', { channel, data: {} })
    t.equal(res.statusCode, 404, channel)
    t.same(res.json(), { message: 'Not Found' })
  }
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  t.same(await subscribed(c.newSubscription('1/grafana/other/x')), { state: 'unsubscribed', code: 404, reason: 'Not Found' })
  t.same(await subscribed(c.newSubscription('1/foo/bar/baz')), { state: 'unsubscribed', code: 404, reason: 'Not Found' })
  t.same(await subscribed(c.newSubscription('no-org-prefix')), { state: 'unsubscribed', code: 400, reason: 'invalid channel ID' })
  t.same(logs.filter(l => l.includes('level=error')), [])
})

t.test('a client publish on a broadcast channel reaches every subscriber, and the last message is replayed on subscribe', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const cs = clients(t)
  const a = await cs.connect(url, { authorization: ADMIN })
  const b = await cs.connect(url, { authorization: ADMIN })
  const subA = a.newSubscription('1/grafana/broadcast/chat')
  const subB = b.newSubscription('1/grafana/broadcast/chat')
  await subscribed(subA)
  await subscribed(subB)
  const gotA = nextPublication(subA)
  const gotB = nextPublication(subB)
  t.same(await a.publish('1/grafana/broadcast/chat', { text: 'hi' }), {})
  t.same(await gotA, { text: 'hi' })
  t.same(await gotB, { text: 'hi' })
  const late = await cs.connect(url, { authorization: ADMIN })
  t.same(await subscribed(late.newSubscription('1/grafana/broadcast/chat')), { state: 'subscribed', data: { text: 'hi' } })
})

t.test('HTTP publish errors follow Grafana: invalid channel 400, stream 403, data source 404', async t => {
  const { app } = await build(t)
  const bad = await api(app, 'POST', '/api/live/publish', { channel: 'nope', data: {} })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { message: 'invalid channel ID' })
  const stream = await api(app, 'POST', '/api/live/publish', { channel: 'stream/telegraf/cpu', data: {} })
  t.equal(stream.statusCode, 403)
  t.same(stream.json(), { message: 'Forbidden' })
  const ds = await api(app, 'POST', '/api/live/publish', { channel: 'ds/abc/x', data: {} })
  t.equal(ds.statusCode, 404)
  t.same(ds.json(), { message: 'Not Found' })
  const anonymous = await app.inject({ method: 'POST', url: '/api/live/publish', payload: { channel: 'grafana/broadcast/x', data: {} } })
  t.equal(anonymous.statusCode, 401)
})

t.test('presence lists the subscribers of a broadcast channel', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const sub = c.newSubscription('1/grafana/broadcast/room')
  await subscribed(sub)
  const p = await sub.presence()
  t.same(Object.values(p.clients).map(i => i.user), ['1'])
  t.same(await sub.presenceStats(), { numClients: 1, numUsers: 1 })
})

t.test('closing the app tells clients "shutdown" (3001)', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const connecting = nextEvent(c, 'connecting')
  await app.close()
  const [ctx] = await connecting
  t.equal(ctx.code, 3001)
  t.equal(ctx.reason, 'shutdown')
  c.disconnect()
})

import t from 'tap'
import { connect, type AddressInfo } from 'node:net'
import { ADMIN, build, sessionCookie } from '../helpers/build.js'

t.test('a body over [server] max_body_bytes is a 413 JSON error', async t => {
  const { app } = await build(t, { server: { max_body_bytes: 2048 } })
  const res = await app.inject({
    method: 'PUT', url: '/api/org', headers: { authorization: ADMIN, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(4096) })
  })
  t.equal(res.statusCode, 413)
  t.match(res.json().message, /too large/)
})

t.test('malformed JSON and wrong types are 400 naming the problem, and change nothing', async t => {
  const { app } = await build(t)
  const bad = await app.inject({ method: 'PUT', url: '/api/org', headers: { authorization: ADMIN, 'content-type': 'application/json' }, payload: '{"name": ' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().message, /not valid JSON/)
  const typed = await app.inject({ method: 'PUT', url: '/api/org', headers: { authorization: ADMIN }, payload: { name: 123 } })
  t.equal(typed.statusCode, 400)
  t.match(typed.json().message, /^bad request data: name /)
  const missing = await app.inject({ method: 'POST', url: '/api/orgs/1/users', headers: { authorization: ADMIN }, payload: { role: 'Viewer' } })
  t.match(missing.json().message, /loginOrEmail is required/)
  t.same((await app.inject({ url: '/api/org', headers: { authorization: ADMIN } })).json(), { id: 1, name: 'Main Org.' })
})

t.test('unknown routes are 404 JSON', async t => {
  const { app } = await build(t)
  const res = await app.inject('/api/nope')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { message: 'Not found' })
})

t.test('a path that cannot be percent-decoded is a 400 JSON message on any route, without echoing the path', async t => {
  const { app } = await build(t)
  for (const url of ['/api/org/%zz', '/api/datasources/uid/%E0%A4%A', '/%zz?secret=query-secret']) {
    const res = await app.inject({ url, headers: { authorization: ADMIN } })
    t.same([res.statusCode, res.headers['content-type'], res.json()],
      [400, 'application/json; charset=utf-8', { message: 'Invalid URL: the path has malformed percent-encoding' }], url)
  }
})

t.test('a request Node cannot parse is a 400 JSON message, and the connection is closed', async t => {
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  socket.end('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
  const chunks: Buffer[] = []
  for await (const c of socket) chunks.push(c as Buffer)
  const [head, body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')
  t.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(head, /\r\nContent-Type: application\/json; charset=utf-8\r\n/)
  t.same(JSON.parse(body!), { message: 'Bad request: malformed HTTP request' })
})

t.test('no log line or error carries a password, token, cookie or Authorization value', async t => {
  const { app, logs } = await build(t, { server: { router_logging: true } })
  const token = sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
  await app.inject({ url: '/api/user', cookies: { grafana_session: token } })
  await app.inject({ url: '/api/org?secret=query-secret', headers: { authorization: ADMIN } })
  await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'wrong-secret-pw' } })
  t.ok(logs.some(l => l.includes('msg="Request Completed"') && l.includes('path=/api/user')), 'requests are logged')
  const all = logs.join('')
  for (const secret of [token, ADMIN.slice(6), 'wrong-secret-pw', 'query-secret']) t.notOk(all.includes(secret), `logs do not contain ${secret.slice(0, 6)}…`)
})

t.test('[log.console] format = json writes one JSON object per line with the logger name', async t => {
  const { app, logs } = await build(t, { 'log.console': { format: 'json' }, server: { router_logging: true } })
  await app.inject({ url: '/api/org', headers: { authorization: ADMIN } })
  const line = logs.map(l => JSON.parse(l)).find(l => l.msg === 'Request Completed')
  t.match(line, { level: 'info', logger: 'context', method: 'GET', path: '/api/org', status: 200, uname: 'admin' })
})

t.test('serve_from_sub_path serves the API under root_url\'s path', async t => {
  const { app } = await build(t, { server: { root_url: 'http://localhost:3000/grafana/', serve_from_sub_path: true } })
  t.equal((await app.inject({ url: '/grafana/api/org', headers: { authorization: ADMIN } })).body, '{"id":1,"name":"Main Org."}')
  t.equal((await app.inject({ url: '/api/org', headers: { authorization: ADMIN } })).statusCode, 404)
  const login = await app.inject({ method: 'POST', url: '/grafana/login', payload: { user: 'admin', password: 'admin' } })
  t.same(login.json(), { message: 'Logged in', redirectUrl: '/grafana/' })
  t.equal(login.cookies.find(c => c.name === 'grafana_session')?.path, '/grafana')
})

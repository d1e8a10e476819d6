// Input no route should answer with a 500: durations past any date, pages past any offset, and
// Grafana's empty bodies with a JSON Content-Type (issue 12, items 3, 4 and 9).
import t from 'tap'
import Fastify from 'fastify'
import { sql } from 'kysely'
import { ADMIN, build } from '../helpers/build.js'
import configPlugin from '../../plugins/config.js'
import errors from '../../plugins/errors.js'

t.test('bad input', async t => {
  const built = await build(t)
  const { app, logs } = built
  const call = (method: string, url: string, payload?: string | object, headers: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, headers: { authorization: ADMIN, ...headers }, ...(payload !== undefined ? { payload } : {}) })

  t.test('secondsToLive past any date is a 400 naming the field, and creates nothing', async t => {
    const sa = (await call('POST', '/api/serviceaccounts', { name: 'robot', role: 'Viewer' })).json()
    for (const secondsToLive of [1e16, 9007199254740991, 100_000_000_001]) {
      const key = await call('POST', '/api/auth/keys', { name: `k${secondsToLive}`, role: 'Viewer', secondsToLive })
      t.equal(key.statusCode, 400, `api key ${secondsToLive}`)
      t.match(key.json().message, /^bad request data: secondsToLive must be <= 100000000000$/)
      const token = await call('POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: `t${secondsToLive}`, secondsToLive })
      t.equal(token.statusCode, 400, `token ${secondsToLive}`)
      t.match(token.json().message, /secondsToLive/)
    }
    t.same((await call('GET', '/api/auth/keys?includeExpired=true')).json(), [])
    t.same((await call('GET', `/api/serviceaccounts/${sa.id}/tokens`)).json(), [])
    // The longest allowed one still makes a date both sides can hold.
    const far = await call('POST', '/api/auth/keys', { name: 'far', role: 'Viewer', secondsToLive: 100_000_000_000 })
    t.equal(far.statusCode, 200)
    t.match((await call('GET', '/api/auth/keys')).json(), [{ name: 'far', expiration: /^5\d{3}-/ }])
  })

  t.test('page and perpage past any offset are a 400 on every paged route', async t => {
    const routes = ['/api/users', '/api/users/search', '/api/orgs', '/api/teams/search', '/api/serviceaccounts/search', '/api/search']
    for (const route of routes) {
      for (const q of ['page=9999999999999999999', 'page=2147483648', 'page=1e21', 'page=1.5', 'perpage=9999999999999999999', 'perpage=0']) {
        if (route === '/api/search' && q.startsWith('perpage')) continue
        const res = await call('GET', `${route}?${q}`)
        t.equal(res.statusCode, 400, `${route}?${q}`)
        t.match(res.json().message, /^bad request data: querystring\.(page|perpage) /, `${route}?${q}`)
      }
      const last = await call('GET', `${route}?page=2147483647${route === '/api/search' ? '&limit=5000' : '&perpage=5000'}`)
      t.equal(last.statusCode, 200, `${route} at the largest page`)
    }
    t.notOk(logs.some(l => /level=error/.test(l)), 'no error was logged')
  })

  t.test('an empty body with Content-Type: application/json is no body (seed 003 delete)', async t => {
    const key = (await call('POST', '/api/auth/keys', { name: 'to-delete', role: 'Viewer' })).json()
    const del = await call('DELETE', `/api/auth/keys/${key.id}`, undefined, { 'content-type': 'application/json' })
    t.equal(del.statusCode, 200)
    t.same(del.json(), { message: 'API key deleted' })
    for (const body of ['', ' \r\n']) {
      const again = await call('DELETE', `/api/auth/keys/${key.id}`, body, { 'content-type': 'application/json' })
      t.equal(again.statusCode, 404, 'parsed as no body, so the route ran')
    }
    const post = await call('POST', '/api/auth/keys', '', { 'content-type': 'application/json' })
    t.equal(post.statusCode, 400, 'a route that needs a body still says so')
    t.match(post.json().message, /^bad request data: body /)
    const broken = await call('DELETE', `/api/auth/keys/${key.id}`, '{"a":', { 'content-type': 'application/json' })
    t.equal(broken.statusCode, 400)
    t.same(broken.json(), { message: 'bad request data: body is not valid JSON' })
  })

  t.test('a datetime PostgreSQL cannot hold is a 400 from the shared error handler (SQLSTATE 22007/22008)', async t => {
    // No route takes a date from the client any more: the shared handler gets its own small app,
    // with the real database's real errors.
    const probe = Fastify()
    await probe.register(configPlugin, { config: built.config })
    await probe.register(errors)
    probe.get('/:value', async (request) => {
      await sql`select ${(request.params as { value: string }).value}::timestamptz`.execute(app.db)
      return {}
    })
    t.teardown(() => probe.close())
    for (const value of ['294277-01-01', 'not-a-date']) {
      const res = await probe.inject(`/${value}`)
      t.equal(res.statusCode, 400, value)
      t.match(res.json().message, /^bad request data: a value is out of range/)
    }
  })
})

// Grafana's csrf_test.go cases, on a cookie-authenticated request.
import t from 'tap'
import { build, sessionCookie } from '../helpers/build.js'

t.test('CSRF: Origin must match the Host for cookie-authenticated requests', async t => {
  const { app, logs } = await build(t, { security: { csrf_trusted_origins: 'grafana.org', csrf_additional_headers: 'X-Forwarded-Host' } })
  const token = sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
  const req = (method: string, host: string, origin: string | undefined, extra: Record<string, string> = {}, cookie = true) => app.inject({
    method: method as 'GET',
    url: '/api/org',
    headers: { host, ...(origin !== undefined ? { origin } : {}), ...extra },
    ...(cookie ? { cookies: { grafana_session: token } } : {})
  })
  const cases: Array<[string, string, string, string | undefined, Record<string, string>, boolean, number]> = [
    ['mismatched origin and host', 'GET', 'localhost:3000', 'http://evil.example', {}, true, 403],
    ['TRACE is exempt', 'TRACE', 'localhost:3000', 'http://evil.example', {}, true, 404],
    ['no cookie: not checked', 'GET', 'localhost:3000', 'http://evil.example', {}, false, 401],
    ['localhost vs http://localhost', 'GET', 'localhost', 'http://localhost', {}, true, 200],
    ['port is ignored', 'GET', 'localhost:80', 'http://localhost:3000', {}, true, 200],
    ['IPv6 loopback', 'GET', '[::1]:3000', 'http://[::1]:3000', {}, true, 200],
    ['IPv6 with port', 'GET', '[2001:db8::1]:3000', 'http://[2001:db8::1]', {}, true, 200],
    ['no Origin is allowed', 'GET', 'localhost:3000', undefined, {}, true, 200],
    ['Origin: null is refused', 'GET', 'localhost:3000', 'null', {}, true, 403],
    ['trusted origin', 'GET', 'localhost:3000', 'https://grafana.org', {}, true, 200],
    ['trusted header value', 'GET', 'internal:3000', 'https://public.example', { 'x-forwarded-host': 'public.example' }, true, 200],
    ['untrusted header is ignored', 'GET', 'internal:3000', 'https://public.example', { 'x-other-host': 'public.example' }, true, 403],
    ['an untrusted origin', 'GET', 'localhost:3000', 'https://grafana.com', {}, true, 403]
  ]
  for (const [name, method, host, origin, extra, cookie, status] of cases) {
    const res = await req(method, host, origin, extra, cookie)
    t.equal(res.statusCode, status, name)
    if (status === 403) t.same(res.json(), { message: 'origin not allowed' }, `${name}: message`)
  }
  const bad = await req('GET', 'localhost:80:80', 'http://localhost')
  t.equal(bad.statusCode, 400, 'an unparsable Host is a 400')
  t.ok(logs.some(l => l.includes('logger=csrf') && l.includes('origin=http://evil.example')), 'refusals are logged')
})

t.test('CSRF refusal changes nothing', async t => {
  const { app } = await build(t)
  const token = sessionCookie(await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } }))!
  const res = await app.inject({ method: 'PUT', url: '/api/org', headers: { origin: 'https://evil.example' }, cookies: { grafana_session: token }, payload: { name: 'Pwned' } })
  t.equal(res.statusCode, 403)
  t.same((await app.inject({ url: '/api/org', cookies: { grafana_session: token } })).json(), { id: 1, name: 'Main Org.' })
})

import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { api, ADMIN, build, type TestContext } from '../helpers/build.js'
import { createDataSource, installExample, tempDir, upstream, writePlugin } from '../helpers/datasources.js'

/** A token endpoint answering `answer()` (default: a fresh token valid for an hour) after `delayMs`. */
async function tokenServer (t: TestContext, answer?: (n: number) => { status?: number, body: string }, delayMs = 0) {
  let n = 0
  const server = await upstream(t, (_req, res) => {
    n++
    const a = answer?.(n) ?? { body: JSON.stringify({ access_token: `token-${n}`, expires_in: 3600 }) }
    setTimeout(() => { res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }); res.end(a.body) }, delayMs).unref()
  })
  return server
}

async function seedApp (t: TestContext, token: Awaited<ReturnType<typeof tokenServer>>, overrides: Record<string, Record<string, string | number>> = {}) {
  const azure = await upstream(t)
  const plugins = installExample(tempDir(t), 'seed-token-auth-datasource', { 'https://management.azure.com': azure.url, 'https://login.microsoftonline.com': token.url })
  const built = await build(t, { ...overrides, paths: { plugins } })
  const { id } = await createDataSource(built.app, {
    name: 'Azure',
    type: 'seed-token-auth-datasource',
    jsonData: { tenantId: 'tenant-1', clientId: 'client-1' },
    secureJsonData: { clientSecret: 'client-secret-9' }
  })
  const call = () => built.app.inject({ url: `/api/datasources/proxy/${id}/azuremonitor/subscriptions`, headers: { authorization: ADMIN } })
  return { ...built, azure, id, call }
}

t.test('seed 001: tokenAuth posts the interpolated client_credentials form and sends the token as a Bearer header', async t => {
  const token = await tokenServer(t)
  const { azure, call, logs } = await seedApp(t, token)
  const res = await call()
  t.equal(res.statusCode, 200)
  t.same(token.seen.map(s => [s.method, s.url, s.headers['content-type']]), [['POST', '/tenant-1/oauth2/token', 'application/x-www-form-urlencoded']])
  t.same(Object.fromEntries(new URLSearchParams(token.seen[0]!.body)), {
    client_id: 'client-1', client_secret: 'client-secret-9', grant_type: 'client_credentials', resource: `${azure.url}/`
  })
  t.same(azure.seen.map(s => [s.url, s.headers.authorization]), [['/subscriptions', 'Bearer token-1']])
  t.notOk(logs.join('\n').includes('token-1') || logs.join('\n').includes('client-secret-9'), 'neither the token nor the client secret is logged')
})

t.test('seed 001: the token is cached, then renewed 10 seconds before it expires', async t => {
  const token = await tokenServer(t, n => ({ body: JSON.stringify({ access_token: `token-${n}`, expires_in: 11 }) }))
  const { azure, call } = await seedApp(t, token)
  await call()
  await call()
  t.equal(token.seen.length, 1, 'the second request reuses the token')
  await sleep(1100)
  await call()
  t.equal(token.seen.length, 2, 'within 10 s of expiry it is renewed')
  t.same(azure.seen.map(s => s.headers.authorization), ['Bearer token-1', 'Bearer token-1', 'Bearer token-2'])
})

t.test('50 concurrent requests on a cold token make exactly one token request', async t => {
  const token = await tokenServer(t, undefined, 200)
  const { azure, call } = await seedApp(t, token)
  const results = await Promise.all(Array.from({ length: 50 }, call))
  t.same([...new Set(results.map(r => r.statusCode))], [200])
  t.equal(token.seen.length, 1)
  t.equal(azure.seen.length, 50)
  t.same([...new Set(azure.seen.map(s => s.headers.authorization))], ['Bearer token-1'])
})

t.test('a failing token endpoint is a 502 naming the route and its status, and the upstream is not called', async t => {
  const answers = [{ status: 500, body: '{"error":"boom"}' }, { body: 'not json' }, { body: '{"token_type":"Bearer"}' }]
  const token = await tokenServer(t, n => answers[n - 1]!)
  const { azure, call, logs } = await seedApp(t, token)
  const messages = []
  for (let i = 0; i < answers.length; i++) {
    const res = await call()
    t.equal(res.statusCode, 502)
    messages.push(res.json().message)
  }
  t.same(messages, [
    'Token request for route "azuremonitor" failed: token endpoint answered 500',
    'Token request for route "azuremonitor" failed: token endpoint answered 200 without a JSON token',
    'Token request for route "azuremonitor" failed: token endpoint answered 200 without an access_token'
  ])
  t.equal(azure.seen.length, 0)
  t.equal(token.seen.length, 3, 'a failure is not cached')
  t.match(logs.join('\n'), /msg="Failed to get access token".*route=azuremonitor/)
})

t.test('a token endpoint slower than [dataproxy] timeout is a 502 and the upstream is not called', async t => {
  const token = await tokenServer(t, undefined, 3000)
  const { azure, call } = await seedApp(t, token, { dataproxy: { timeout: 1 } })
  const res = await call()
  t.same([res.statusCode, res.json()], [502, { message: 'Token request for route "azuremonitor" failed: token endpoint did not answer within 1s' }])
  t.equal(azure.seen.length, 0)
})

t.test('different routes get different tokens; updating the data source fetches a new one', async t => {
  const token = await tokenServer(t)
  const nr1 = await upstream(t)
  const nr2 = await upstream(t)
  const auth = {
    url: `${token.url}/{{.JsonData.tenantId}}/oauth2/token`,
    params: { grant_type: 'client_credentials', client_id: '{{.JsonData.clientId}}', client_secret: '{{.SecureJsonData.clientSecret}}' }
  }
  const plugins = writePlugin(tempDir(t), {
    type: 'datasource',
    id: 'two',
    name: 'Two',
    routes: [{ path: 'pathwithtoken1', url: nr1.url, tokenAuth: auth }, { path: 'pathwithtoken2', url: nr2.url, tokenAuth: auth }]
  })
  const { app } = await build(t, { paths: { plugins } })
  const body = { name: 'Two', type: 'two', access: 'proxy', jsonData: { tenantId: 't', clientId: 'c' }, secureJsonData: { clientSecret: 's' } }
  const { id } = await createDataSource(app, body)
  const get = (p: string) => app.inject({ url: `/api/datasources/proxy/${id}/${p}/some/path`, headers: { authorization: ADMIN } })
  await get('pathwithtoken1')
  await get('pathwithtoken2')
  await get('pathwithtoken1')
  t.same([nr1.seen.map(s => s.headers.authorization), nr2.seen.map(s => s.headers.authorization)], [['Bearer token-1', 'Bearer token-1'], ['Bearer token-2']])
  await api(app, 'PUT', `/api/datasources/${id}`, body)
  await get('pathwithtoken1')
  t.equal(nr1.seen[2]!.headers.authorization, 'Bearer token-3')
})

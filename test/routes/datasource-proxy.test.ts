import t from 'tap'
import { api, ADMIN, build, type TestContext } from '../helpers/build.js'
import { createDataSource, installExample, tempDir, upstream, userWithRole, writePlugin } from '../helpers/datasources.js'

async function seedApp (t: TestContext) {
  const azure = await upstream(t)
  const insights = await upstream(t)
  const dynamic = await upstream(t)
  const plugins = installExample(tempDir(t), 'seed-routes-datasource', { 'https://management.azure.com': azure.url, 'https://api.applicationinsights.io': insights.url })
  const built = await build(t, { paths: { plugins } })
  const { id } = await createDataSource(built.app, {
    name: 'Seed',
    type: 'seed-routes-datasource',
    jsonData: { dynamicUrl: dynamic.url },
    secureJsonData: { apiKey: 'secretKey', appInsightsApiKey: 'insights-key-42' }
  })
  return { ...built, azure, insights, dynamic, id }
}

const get = (app: Awaited<ReturnType<typeof build>>['app'], url: string, headers: Record<string, string> = { authorization: ADMIN }) =>
  app.inject({ url, headers })

t.test('seed 001: a simple route sends azuremonitor/foo/bar to the route URL', async t => {
  const { app, azure, id } = await seedApp(t)
  const res = await get(app, `/api/datasources/proxy/${id}/azuremonitor/foo/bar`)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { ok: true, path: '/foo/bar' })
  t.same(azure.seen.map(s => [s.method, s.url]), [['GET', '/foo/bar']])
})

t.test('seed 001: a dynamic route fills the URL from jsonData and the query from secureJsonData', async t => {
  const { app, dynamic, azure, id } = await seedApp(t)
  const res = await get(app, `/api/datasources/proxy/${id}/custom/api/v5/some/path`)
  t.equal(res.statusCode, 200)
  t.same(dynamic.seen.map(s => s.url), ['/some/path?apiKey=secretKey'])
  t.equal(azure.seen.length, 0)
})

t.test('seed 001: the appinsights route adds the X-API-Key header from secureJsonData', async t => {
  const { app, insights, id } = await seedApp(t)
  const res = await get(app, `/api/datasources/proxy/${id}/appinsights/v1/apps/query`)
  t.equal(res.statusCode, 200)
  t.equal(insights.seen[0]!.url, '/v1/apps/query')
  t.equal(insights.seen[0]!.headers['x-api-key'], 'insights-key-42')
  t.notOk(JSON.stringify(res.headers).includes('insights-key-42'))
})

t.test('seed 001: a route with a method only matches that method', async t => {
  const { app, azure, id } = await seedApp(t)
  const post = await app.inject({
    method: 'POST', url: `/api/datasources/proxy/${id}/azuremonitor/foo`, headers: { authorization: ADMIN, 'content-type': 'application/json' }, payload: '{}'
  })
  t.equal(post.statusCode, 400, 'no route matched, and the data source has no URL of its own')
  t.same(post.json(), { message: 'Invalid data source URL' })
  t.equal(azure.seen.length, 0)
})

// Grafana's ds_proxy_test.go first group, with local servers for its hosts.
async function grafanaApp (t: TestContext) {
  const google = await upstream(t)
  const dynamic = await upstream(t)
  const example = await upstream(t)
  const encoded = await upstream(t)
  const test = await upstream(t)
  const ds = await upstream(t)
  const header = [{ name: 'x-header', content: 'my secret {{.SecureJsonData.key}}' }]
  const plugins = writePlugin(tempDir(t), {
    type: 'datasource',
    id: 'test-app',
    name: 'Test',
    routes: [
      { path: 'api/v4/', url: google.url, reqRole: 'Editor', headers: header },
      { path: 'api/admin', url: google.url, reqRole: 'Admin', headers: header },
      { path: 'api/anon', url: google.url, headers: header },
      {
        path: 'api/common',
        url: '{{.JsonData.dynamicUrl}}',
        urlParams: [{ name: '{{.JsonData.queryParam}}', content: '{{.SecureJsonData.key}}' }],
        headers: header
      },
      { path: 'api/restricted', reqRole: 'Admin' },
      { path: 'api/body', url: test.url, body: { url: '{{.JsonData.dynamicUrl}}', secret: '{{.SecureJsonData.key}}' } },
      { path: 'mypath', url: `${example.url}/api/v1/` },
      { path: 'api/setting', url: '{{.URL}}', urlParams: [{ name: '{{.JsonData.queryParam}}', content: '{{.SecureJsonData.key}}' }], headers: header },
      { path: 'encodedPath', url: encoded.url },
      { path: 'a', method: 'GET', reqRole: 'Editor' },
      { path: 'b', method: 'GET', reqRole: 'Viewer' }
    ]
  })
  const built = await build(t, { paths: { plugins } })
  const { id, uid } = await createDataSource(built.app, {
    name: 'Test',
    type: 'test-app',
    url: `${ds.url}/asd`,
    jsonData: { clientId: 'asd', dynamicUrl: dynamic.url, queryParam: 'apiKey' },
    secureJsonData: { key: '123' }
  })
  const editor = await userWithRole(built.app, 'editor', 'Editor')
  const viewer = await userWithRole(built.app, 'viewer', 'Viewer')
  return { ...built, id, uid, editor, viewer, google, dynamic, example, encoded, test, ds }
}

t.test('Grafana route cases: route URL, templated header, dynamic URL, urlParams, {{.URL}}, body, trailing slash, encoded path', async t => {
  const g = await grafanaApp(t)
  const p = `/api/datasources/proxy/${g.id}`
  const as = { authorization: g.editor }
  t.equal((await get(g.app, `${p}/api/v4/some/method`, as)).statusCode, 200)
  t.same([g.google.seen[0]!.url, g.google.seen[0]!.headers['x-header']], ['/some/method', 'my secret 123'])
  await get(g.app, `${p}/api/common/some/method`, as)
  t.same([g.dynamic.seen[0]!.url, g.dynamic.seen[0]!.headers['x-header']], ['/some/method?apiKey=123', 'my secret 123'])
  await get(g.app, `${p}/api/setting/some/method`, as)
  t.same([g.ds.seen[0]!.url, g.ds.seen[0]!.headers['x-header']], ['/asd/some/method?apiKey=123', 'my secret 123'], '{{.URL}} is the data source URL')
  await get(g.app, `${p}/api/body`, as)
  t.same(JSON.parse(g.test.seen[0]!.body), { url: g.dynamic.url, secret: '123' })
  t.equal(g.test.seen[0]!.headers['content-length'], String(Buffer.byteLength(g.test.seen[0]!.body)))
  await get(g.app, `${p}/mypath/some-route/`, as)
  t.equal(g.example.seen[0]!.url, '/api/v1/some-route/')
  await get(g.app, `${p}/encodedPath/our%20devices`, as)
  t.equal(g.encoded.seen[0]!.url, '/our%20devices')
  await get(g.app, `${p}/api/restricted/x`)
  t.equal(g.ds.seen[1]!.url, '/asd/api/restricted/x', 'a route without URL keeps the data source URL and the whole path')
})

t.test('Grafana route cases: reqRole is enforced on the matched route only, double slashes cannot dodge it', async t => {
  const g = await grafanaApp(t)
  const p = `/api/datasources/proxy/${g.id}`
  const denied = await get(g.app, `${p}/api/admin/x`, { authorization: g.editor })
  t.equal(denied.statusCode, 403)
  t.same(denied.json(), { message: 'plugin proxy route access denied' })
  t.equal((await get(g.app, `${p}//api//admin`, { authorization: g.editor })).statusCode, 403)
  t.equal((await get(g.app, `${p}/api/admin/x`)).statusCode, 200, 'an admin may')
  t.equal((await get(g.app, `${p}/b`, { authorization: g.viewer })).statusCode, 200, 'a viewer reaches route b (Viewer)')
  t.equal((await get(g.app, `${p}/a`, { authorization: g.viewer })).statusCode, 403, '…but not route a (Editor)')
  t.equal((await get(g.app, `${p}/api/anon/x`, { authorization: g.viewer })).statusCode, 200)
  t.equal(g.google.seen.length, 2)
})

t.test('the proxy is reachable by uid, and ids and uids are checked as Grafana does', async t => {
  const g = await grafanaApp(t)
  t.equal((await get(g.app, `/api/datasources/proxy/uid/${g.uid}/api/anon/x`)).statusCode, 200)
  t.same(g.google.seen.map(s => s.url), ['/x'])
  const bad = await get(g.app, '/api/datasources/proxy/abc/x')
  t.same([bad.statusCode, bad.json()], [400, { message: 'id is invalid' }])
  const missing = await get(g.app, '/api/datasources/proxy/999/x')
  t.same([missing.statusCode, missing.json()], [404, { message: 'Unable to find datasource' }])
  const badUid = await get(g.app, '/api/datasources/proxy/uid/no$uid/x')
  t.same([badUid.statusCode, badUid.json()], [400, { message: 'UID is invalid' }])
  const anonymous = await g.app.inject({ url: `/api/datasources/proxy/${g.id}/api/anon/x` })
  t.equal(anonymous.statusCode, 401)
})

t.test('a data source without a matching route is proxied to its URL; unrelated headers pass, Origin and Referer do not', async t => {
  const { app } = await build(t)
  const ds = await upstream(t)
  const { id } = await createDataSource(app, { name: 'Custom', type: 'custom', url: `${ds.url}/root/` })
  const res = await app.inject({ url: `/api/datasources/proxy/${id}/path/to/folder/?q=1`, headers: { authorization: ADMIN, 'x-canary': 'stillthere', origin: 'http://localhost:3000', referer: 'http://localhost:3000/explore' } })
  t.equal(res.statusCode, 200)
  const seen = ds.seen[0]!
  t.equal(seen.url, '/root/path/to/folder/?q=1')
  t.equal(seen.headers['x-canary'], 'stillthere')
  t.equal(seen.headers.origin, undefined)
  t.equal(seen.headers.referer, undefined)
  t.equal(seen.headers.host, `127.0.0.1:${ds.port}`)
})

t.test('the proxy path keeps its percent-encoding on the way upstream', async t => {
  const { app } = await build(t)
  const ds = await upstream(t)
  const { id } = await createDataSource(app, { name: 'P', type: 'prometheus', url: ds.url })
  await get(app, `/api/datasources/proxy/${id}/path/%2Ftest%2Ftest%2F?query=%2Ftest%2Ftest%2F`)
  t.equal(ds.seen[0]!.url, '/path/%2Ftest%2Ftest%2F?query=%2Ftest%2Ftest%2F')
})

t.test('cookies are dropped unless jsonData.keepCookies names them; the session cookie never passes', async t => {
  const { app } = await build(t)
  const ds = await upstream(t)
  const none = await createDataSource(app, { name: 'None', type: 'x', url: ds.url, jsonData: { keepCookies: [] } })
  const kept = await createDataSource(app, { name: 'Kept', type: 'x', url: ds.url, jsonData: { keepCookies: ['JSESSION_ID', 'grafana_session', 'pref_[]'] } })
  const cookie = 'grafana_user=admin; grafana_remember=99; grafana_sess=11; JSESSION_ID=test; pref_b=2; pref_a=1; grafana_session=abc'
  await app.inject({ url: `/api/datasources/proxy/${none.id}/x`, headers: { authorization: ADMIN, cookie } })
  await app.inject({ url: `/api/datasources/proxy/${kept.id}/x`, headers: { authorization: ADMIN, cookie } })
  t.equal(ds.seen[0]!.headers.cookie, undefined)
  t.equal(ds.seen[1]!.headers.cookie, 'JSESSION_ID=test; pref_a=1; pref_b=2')
})

t.test('data source basic auth is sent, X-DS-Authorization becomes Authorization, the caller\'s own never does', async t => {
  const { app } = await build(t)
  const ds = await upstream(t)
  const basicDs = await createDataSource(app,
    { name: 'B', type: 'influxdb', url: ds.url, basicAuth: true, basicAuthUser: 'user', secureJsonData: { basicAuthPassword: 'password' } })
  const plain = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  await get(app, `/api/datasources/proxy/${basicDs.id}/query`)
  await get(app, `/api/datasources/proxy/${plain.id}/query`)
  await app.inject({ url: `/api/datasources/proxy/${plain.id}/query`, headers: { authorization: ADMIN, 'x-ds-authorization': 'Bearer from-frontend' } })
  t.same(ds.seen.map(s => s.headers.authorization), ['Basic dXNlcjpwYXNzd29yZA==', undefined, 'Bearer from-frontend'])
  t.equal(ds.seen[2]!.headers['x-ds-authorization'], undefined)
})

t.test('upstream cookies and CORS headers are dropped, the answer is sandboxed, a 401 becomes a 400', async t => {
  const { app } = await build(t)
  let status = 200
  const ds = await upstream(t, (_req, res) => {
    res.writeHead(status, {
      'set-cookie': 'flavor=chocolateChip',
      'access-control-allow-origin': '*',
      'www-authenticate': 'Basic realm="x"',
      'cache-control': 'max-age=60',
      'content-type': 'text/plain'
    })
    res.end('hello')
  })
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  const res = await get(app, `/api/datasources/proxy/${id}/x`)
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'hello')
  t.same([res.headers['set-cookie'], res.headers['access-control-allow-origin'], res.headers['content-security-policy'], res.headers['cache-control']],
    [undefined, undefined, 'sandbox', 'max-age=60'])
  status = 401
  const denied = await get(app, `/api/datasources/proxy/${id}/x`)
  t.equal(denied.statusCode, 400)
  t.same(denied.json(), { message: 'Authentication to data source failed' })
  t.equal(denied.headers['www-authenticate'], undefined)
})

t.test('with send_user_header the signed-in login goes upstream in X-Grafana-User; a client cannot forge it', async t => {
  const { app } = await build(t, { dataproxy: { send_user_header: true } })
  const ds = await upstream(t)
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  await app.inject({ url: `/api/datasources/proxy/${id}/x`, headers: { authorization: ADMIN, 'x-grafana-user': 'someone-else' } })
  t.equal(ds.seen[0]!.headers['x-grafana-user'], 'admin')
})

t.test('data sources are per org: a member of another org cannot proxy to it', async t => {
  const { app } = await build(t)
  const ds = await upstream(t)
  const org2 = (await api(app, 'POST', '/api/orgs', { name: 'Org Two' })).json().orgId
  const res = await app.inject({
    method: 'POST',
    url: '/api/datasources',
    headers: { authorization: ADMIN, 'x-grafana-org-id': String(org2) },
    payload: { name: 'P', type: 'x', access: 'proxy', url: ds.url }
  })
  const missing = await get(app, `/api/datasources/proxy/${res.json().id}/x`)
  t.same([missing.statusCode, missing.json()], [404, { message: 'Unable to find datasource' }])
  t.equal(ds.seen.length, 0)
})

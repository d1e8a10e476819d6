import t from 'tap'
import { api, build } from '../helpers/build.js'
import { createDataSource, userWithRole } from '../helpers/datasources.js'
import { matchesSpec } from '../helpers/openapi.js'

const PROM = { name: 'Prometheus', type: 'prometheus', access: 'proxy', url: 'http://127.0.0.1:9090', jsonData: { httpMethod: 'POST' }, secureJsonData: { password: 's3cret' } }

t.test('an org admin adds a data source: Grafana\'s body, a generated uid, the first one is the default', async t => {
  const { app } = await build(t)
  const res = await api(app, 'POST', '/api/datasources', PROM)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.datasource.uid, /^[a-zA-Z][a-zA-Z0-9]{13}$/)
  t.same(body, {
    message: 'Datasource added',
    id: 1,
    name: 'Prometheus',
    datasource: {
      id: 1,
      uid: body.datasource.uid,
      orgId: 1,
      name: 'Prometheus',
      type: 'prometheus',
      typeLogoUrl: 'public/img/icn-datasource.svg',
      access: 'proxy',
      url: 'http://127.0.0.1:9090',
      user: '',
      database: '',
      basicAuth: false,
      basicAuthUser: '',
      withCredentials: false,
      isDefault: true,
      jsonData: { httpMethod: 'POST' },
      secureJsonFields: { password: true },
      version: 1,
      readOnly: false
    }
  })
  matchesSpec(t, 'DataSource', body.datasource)
})

t.test('a data source is read by id, uid and name; the list has list items sorted by name', async t => {
  const { app } = await build(t)
  const { id, uid } = await createDataSource(app, PROM)
  await createDataSource(app, { name: 'alertmanager', type: 'alertmanager', url: 'http://127.0.0.1:9093' })
  const byId = await api(app, 'GET', `/api/datasources/${id}`)
  t.equal(byId.statusCode, 200)
  t.same((await api(app, 'GET', `/api/datasources/uid/${uid}`)).json(), byId.json())
  t.same((await api(app, 'GET', '/api/datasources/name/Prometheus')).json(), byId.json())
  t.same(byId.json().secureJsonFields, { password: true })
  const list = await api(app, 'GET', '/api/datasources')
  t.same(list.json().map((d: { name: string }) => d.name), ['alertmanager', 'Prometheus'])
  t.same(Object.keys(list.json()[1]),
    ['id', 'uid', 'orgId', 'name', 'type', 'typeName', 'typeLogoUrl', 'access', 'url', 'user', 'database', 'basicAuth', 'isDefault', 'jsonData', 'readOnly'])
  matchesSpec(t, 'DataSourceList', list.json())
})

t.test('GET /api/datasources/id/:name answers any org member; everything else needs an org admin', async t => {
  const { app } = await build(t)
  const { id } = await createDataSource(app, PROM)
  const viewer = await userWithRole(app, 'viewer', 'Viewer')
  const editor = await userWithRole(app, 'editor', 'Editor')
  t.same((await api(app, 'GET', '/api/datasources/id/Prometheus', undefined, viewer)).json(), { id })
  for (const who of [viewer, editor]) {
    for (const [method, url, body] of [['GET', '/api/datasources'], ['GET', `/api/datasources/${id}`], ['POST', '/api/datasources', { ...PROM, name: 'x' }],
      ['PUT', `/api/datasources/${id}`, PROM], ['DELETE', `/api/datasources/${id}`]] as const) {
      const res = await api(app, method, url, body, who)
      t.equal(res.statusCode, 403, `${method} ${url}`)
      t.same(res.json(), { message: 'Permission denied' })
    }
  }
  t.equal((await app.db.selectFrom('data_source').select('name').execute()).length, 1, 'nothing was added or deleted')
})

t.test('a body without name, type or access is a 400 naming the field, and nothing is stored', async t => {
  const { app } = await build(t)
  for (const field of ['name', 'type', 'access']) {
    const body: Record<string, unknown> = { ...PROM }
    delete body[field]
    const res = await api(app, 'POST', '/api/datasources', body)
    t.equal(res.statusCode, 400)
    t.same(res.json(), { message: `bad request data: ${field} is required` })
  }
  const res = await api(app, 'POST', '/api/datasources', { ...PROM, secureJsonData: { password: 42 } })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { message: 'bad request data: secureJsonData.password must be string' })
  t.same(await app.db.selectFrom('data_source').selectAll().execute(), [])
})

t.test('an access mode other than proxy or direct is a 400 on create and update, and nothing is stored', async t => {
  const { app } = await build(t)
  const res = await api(app, 'POST', '/api/datasources', { ...PROM, access: 'weird' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { message: 'bad request data: access must be one of proxy, direct' })
  t.same(await app.db.selectFrom('data_source').selectAll().execute(), [])
  const { id } = await createDataSource(app, PROM)
  const put = await api(app, 'PUT', `/api/datasources/${id}`, { ...PROM, access: 'weird' })
  t.equal(put.statusCode, 400)
  t.same(put.json(), { message: 'bad request data: access must be one of proxy, direct' })
  t.equal((await api(app, 'GET', `/api/datasources/${id}`)).json().access, 'proxy')
  t.equal((await api(app, 'POST', '/api/datasources', { ...PROM, name: 'Direct', access: 'direct' })).statusCode, 200)
})

t.test('the same name or uid twice in an org is a 409 with Grafana\'s message', async t => {
  const { app } = await build(t)
  await createDataSource(app, { ...PROM, uid: 'prom-1' })
  const name = await api(app, 'POST', '/api/datasources', { ...PROM, uid: 'prom-2' })
  t.equal(name.statusCode, 409)
  t.same(name.json(), { message: 'data source with the same name already exists' })
  const uid = await api(app, 'POST', '/api/datasources', { ...PROM, name: 'Other', uid: 'prom-1' })
  t.equal(uid.statusCode, 409)
  t.same(uid.json(), { message: 'data source with the same uid already exists' })
})

t.test('an invalid URL is refused; a URL without a scheme is accepted as Grafana does', async t => {
  const { app } = await build(t)
  const bad = await api(app, 'POST', '/api/datasources', { ...PROM, url: '://host/root' })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { message: 'Validation error, invalid URL' })
  t.equal((await api(app, 'POST', '/api/datasources', { ...PROM, url: '127.0.01:5432' })).statusCode, 200)
  const uid = await api(app, 'POST', '/api/datasources', { ...PROM, name: 'x', uid: 'not a uid!' })
  t.equal(uid.statusCode, 400)
  t.match(uid.json().message, /^bad request data: uid /)
})

t.test('a custom header named like the auth proxy header is refused when saving', async t => {
  const { app } = await build(t)
  const body = { ...PROM, jsonData: { httpHeaderName1: 'X-Webauth-User' }, secureJsonData: { httpHeaderValue1: 'admin' } }
  const res = await api(app, 'POST', '/api/datasources', body)
  t.equal(res.statusCode, 400)
  t.same(res.json(), { message: 'Failed to add datasource: custom header X-Webauth-User is reserved for the auth proxy' })
  const { id } = await createDataSource(app, PROM)
  const put = await api(app, 'PUT', `/api/datasources/${id}`, body)
  t.equal(put.statusCode, 400)
  t.same(put.json(), { message: 'Failed to update datasource: custom header X-Webauth-User is reserved for the auth proxy' })
  t.same((await api(app, 'GET', `/api/datasources/${id}`)).json().jsonData, { httpMethod: 'POST' })
})

t.test('every header the auth proxy reads is refused as a custom header, case-insensitively, on create and update', async t => {
  const { app } = await build(t, { 'auth.proxy': { header_name: 'X-Remote-User', headers: 'Role:X-WEBAUTH-ROLE Groups:X-Webauth-Groups' } })
  const { id } = await createDataSource(app, PROM)
  for (const name of ['x-remote-user', 'X-WEBAUTH-ROLE', ' x-webauth-groups ']) {
    const body = {
      ...PROM, jsonData: { httpHeaderName1: 'X-Fine', httpHeaderName2: name }, secureJsonData: { httpHeaderValue1: 'a', httpHeaderValue2: 'Admin' }
    }
    const res = await api(app, 'POST', '/api/datasources', { ...body, name: 'Other' })
    t.same([res.statusCode, res.json()], [400, { message: `Failed to add datasource: custom header ${name.trim()} is reserved for the auth proxy` }], name)
    const put = await api(app, 'PUT', `/api/datasources/${id}`, body)
    t.same([put.statusCode, put.json()], [400, { message: `Failed to update datasource: custom header ${name.trim()} is reserved for the auth proxy` }], name)
  }
  const rows = await app.db.selectFrom('data_source').select(['name', 'json_data', 'version']).execute()
  t.same(rows.map(r => [r.name, r.json_data, r.version]), [['Prometheus', { httpMethod: 'POST' }, 1]], 'nothing was saved')
})

t.test('PUT updates with optimistic locking: a stale version is a 409 and changes nothing', async t => {
  const { app } = await build(t)
  const { id } = await createDataSource(app, PROM)
  const first = await api(app, 'PUT', `/api/datasources/${id}`, { ...PROM, url: 'http://127.0.0.1:9091', version: 1 })
  t.equal(first.statusCode, 200)
  t.same({
    message: first.json().message, id: first.json().id, name: first.json().name, version: first.json().datasource.version, url: first.json().datasource.url
  }, { message: 'Datasource updated', id, name: 'Prometheus', version: 2, url: 'http://127.0.0.1:9091' })
  const stale = await api(app, 'PUT', `/api/datasources/${id}`, { ...PROM, url: 'http://127.0.0.1:1', version: 1 })
  t.equal(stale.statusCode, 409)
  t.same(stale.json(), { message: 'Datasource has already been updated by someone else. Please reload and try again' })
  t.equal((await api(app, 'GET', `/api/datasources/${id}`)).json().url, 'http://127.0.0.1:9091')
  const unversioned = await api(app, 'PUT', `/api/datasources/${id}`, { ...PROM, url: 'http://127.0.0.1:9092' })
  t.equal(unversioned.json().datasource.version, 3)
})

t.test('PUT by uid renames; renaming onto another data source\'s name is a 409', async t => {
  const { app } = await build(t)
  const { uid } = await createDataSource(app, PROM)
  await createDataSource(app, { ...PROM, name: 'Taken' })
  const res = await api(app, 'PUT', `/api/datasources/uid/${uid}`, { ...PROM, name: 'Taken' })
  t.equal(res.statusCode, 409)
  t.same(res.json(), { message: 'Failed to update datasource: data source with the same name already exists' })
  const ok = await api(app, 'PUT', `/api/datasources/uid/${uid}`, { ...PROM, name: 'Renamed' })
  t.equal(ok.json().name, 'Renamed')
  t.equal((await api(app, 'PUT', '/api/datasources/uid/nope', PROM)).statusCode, 404)
})

t.test('making a data source the default clears the previous default', async t => {
  const { app } = await build(t)
  const a = await createDataSource(app, PROM)
  const b = await createDataSource(app, { ...PROM, name: 'B', isDefault: true })
  const rows = await app.db.selectFrom('data_source').select(['id', 'is_default']).orderBy('id').execute()
  t.same(rows, [{ id: a.id, is_default: false }, { id: b.id, is_default: true }])
})

t.test('delete by id, uid and name answer Grafana\'s messages; a deleted data source is not found', async t => {
  const { app } = await build(t)
  const a = await createDataSource(app, PROM)
  const b = await createDataSource(app, { ...PROM, name: 'B' })
  const c = await createDataSource(app, { ...PROM, name: 'C' })
  t.same((await api(app, 'DELETE', `/api/datasources/${a.id}`)).json(), { message: 'Data source deleted' })
  t.same((await api(app, 'DELETE', `/api/datasources/uid/${b.uid}`)).json(), { message: 'Data source deleted', id: b.id })
  t.same((await api(app, 'DELETE', '/api/datasources/name/C')).json(), { message: 'Data source deleted', id: c.id })
  const gone = await api(app, 'GET', `/api/datasources/${a.id}`)
  t.equal(gone.statusCode, 404)
  t.same(gone.json(), { message: 'Data source not found' })
  t.same((await api(app, 'DELETE', `/api/datasources/uid/${b.uid}`)).json(), { message: 'Data source not found' })
  t.same(await app.db.selectFrom('data_source').selectAll().execute(), [])
})

t.test('a non-numeric id is a 400 "id is invalid"', async t => {
  const { app } = await build(t)
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const res = await api(app, method, '/api/datasources/abc', method === 'PUT' ? PROM : undefined)
    t.equal(res.statusCode, 400)
    t.same(res.json(), { message: 'id is invalid' })
  }
})

t.test('the data-source routes and the proxy read an id the same way', async t => {
  const { app } = await build(t)
  await createDataSource(app, { ...PROM, url: 'http://127.0.0.1:1' })
  for (const id of ['abc', '1e0', '0x1', '-1', '+1', '2147483648', '99999999999']) {
    const route = await api(app, 'GET', `/api/datasources/${id}`)
    const proxy = await api(app, 'GET', `/api/datasources/proxy/${id}/x`)
    t.same([route.statusCode, route.json(), proxy.statusCode, proxy.json()], [400, { message: 'id is invalid' }, 400, { message: 'id is invalid' }], id)
  }
  const route = await api(app, 'GET', '/api/datasources/2147483647')
  const proxy = await api(app, 'GET', '/api/datasources/proxy/2147483647/x')
  t.same([route.statusCode, proxy.statusCode], [404, 404], 'the largest id is looked up by both')
})

t.test('data sources are per org: another org\'s data source is not found and not listed', async t => {
  const { app } = await build(t)
  const org2 = (await api(app, 'POST', '/api/orgs', { name: 'Org Two' })).json().orgId
  const res = await app.inject({
    method: 'POST',
    url: '/api/datasources',
    headers: { authorization: (await import('../helpers/build.js')).ADMIN, 'x-grafana-org-id': String(org2) },
    payload: PROM
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().datasource.orgId, org2)
  t.equal((await api(app, 'GET', `/api/datasources/${res.json().id}`)).statusCode, 404)
  t.same((await api(app, 'GET', '/api/datasources')).json(), [])
  t.equal((await createDataSource(app, PROM)).id > 0, true, 'the same name is free in org 1')
})

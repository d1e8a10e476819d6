// The OpenAPI document at /public/openapi3.json: valid, complete against the routes Fastify has
// registered (no route missing, nothing documented that does not exist), and true to what the
// main endpoints really answer.
import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { FastifyInstance } from 'fastify'
import { ADMIN, build } from '../helpers/build.js'

/** Routes the document leaves out on purpose, and why. Adding one here is a decision, not a fix. */
const EXCLUDED: Record<string, string> = {
  '/': 'web UI page (HTML shell)',
  '/profile': 'web UI page (HTML shell)',
  '/org/*': 'web UI pages (HTML shell)',
  '/datasources': 'web UI page (HTML shell)',
  '/datasources/*': 'web UI pages (HTML shell)',
  '/gatehouse/*': 'web UI pages (HTML shell)',
  '/public/*': 'web UI files',
  '/api/live/ws': 'websocket (Centrifuge protocol), not request/response',
  '/swagger': 'the interactive page on this document',
  '/swagger/*': 'the interactive page\'s files',
  '/swagger/static/*': 'the interactive page\'s files',
  '/swagger/static/index.html': 'the interactive page\'s files',
  '/swagger/static/swagger-initializer.js': 'the interactive page\'s files',
  '/swagger/json': 'this document again, for the page',
  '/swagger/yaml': 'this document again, as YAML'
}
/** Methods Fastify registers that the document does not list, and why. */
const EXCLUDED_METHODS: Record<string, string> = {
  HEAD: 'Fastify answers HEAD for every GET route on its own (proxy HEAD is documented)',
  QUERY: 'OpenAPI 3.1 has no QUERY method: the path item says so in its description'
}
const DOCUMENTED_HEAD = /^\/api\/datasources\/proxy\//

const pathOf = (url: string) => url.replace(/\/\*$/, '/{path}').replace(/:(\w+)/g, '{$1}')
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

type Doc = Record<string, any>
async function documentOf (app: FastifyInstance): Promise<Doc> {
  const res = await app.inject('/public/openapi3.json')
  if (res.statusCode !== 200) throw new Error(`openapi3.json: ${res.statusCode}`)
  return res.json()
}

t.test('the document is a valid OpenAPI 3.1 document, served without credentials', async t => {
  const { app } = await build(t)
  const res = await app.inject('/public/openapi3.json')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  await t.resolves(SwaggerParser.validate(structuredClone(doc)), 'swagger-parser finds no error')
})

t.test('every registered route is documented and every documented operation exists', async t => {
  const { app } = await build(t)
  const doc = await documentOf(app)
  const documented = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths as Record<string, Doc>)) {
    for (const m of METHODS) if (item[m] !== undefined) documented.add(`${m.toUpperCase()} ${path}`)
  }
  const expected = new Set<string>()
  for (const route of app.registeredRoutes) {
    if (EXCLUDED[route.url] !== undefined) continue
    for (const method of route.methods) {
      if (EXCLUDED_METHODS[method] !== undefined && !(method === 'HEAD' && DOCUMENTED_HEAD.test(route.url))) continue
      expected.add(`${method} ${pathOf(route.url)}`)
    }
  }
  t.same([...expected].filter(op => !documented.has(op)), [], 'no registered route is missing')
  t.same([...documented].filter(op => !expected.has(op)), [], 'no documented operation lacks a route')
  for (const op of documented) {
    const [method, path] = op.split(' ') as [string, string]
    const url = path.replace(/\{path\}$/, '*').replace(/\{(\w+)\}/g, ':$1')
    t.ok(app.hasRoute({ method, url }), `${op} is a route Fastify knows`)
  }
  t.ok(expected.size > 60, `the main API is there (${expected.size} operations)`)
})

t.test('the document says how to authenticate, which org, what errors look like, and what is not Grafana', async t => {
  const { app } = await build(t)
  const doc = await documentOf(app)
  t.same(Object.keys(doc.components.securitySchemes).sort(), ['basic', 'bearer', 'session'])
  t.match(doc.components.securitySchemes.session, { type: 'apiKey', in: 'cookie', name: 'grafana_session' })
  t.match(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' })
  t.match(doc.components.parameters.OrgId, { name: 'X-Grafana-Org-Id', in: 'header' })

  const org = doc.paths['/api/org'].get
  t.same(org.parameters, [{ $ref: '#/components/parameters/OrgId' }], 'an authenticated operation takes the org header')
  t.same(org.responses['401'], { $ref: '#/components/responses/Unauthorized' })
  t.same(org.responses['5XX'], { $ref: '#/components/responses/ServerError' })
  t.same(doc.paths['/api/health'].get.security, [], '/api/health needs no credentials')
  t.same(doc.paths['/api/datasources/{id}'].delete.responses['4XX'].content['application/json'].schema.required, ['message'], 'errors are {"message"}')

  const check = doc.paths['/api/gatehouse/origin-check'].get
  t.equal(check['x-gatehouse-extension'], true, 'Gatehouse\'s own endpoints are marked')
  t.same(check.tags, ['Gatehouse extensions'])
  t.equal(doc.paths['/api/gatehouse/activity'].get['x-gatehouse-extension'], true)
  t.equal(doc.paths['/api/org'].get['x-gatehouse-extension'], undefined, 'Grafana\'s are not')

  const body = doc.paths['/api/datasources'].post.requestBody.content['application/json'].schema
  t.equal(body.properties.secureJsonData.writeOnly, true, 'secureJsonData is write-only')
  t.equal(doc.paths['/api/datasources/uid/{uid}'].put.requestBody.content['application/json'].schema.properties.secureJsonData.writeOnly, true)
  t.match(JSON.stringify(doc.paths['/api/datasources/uid/{uid}'].get.responses['200']), /secureJsonFields/)
  t.notMatch(JSON.stringify(doc.paths['/api/datasources/uid/{uid}'].get.responses['200']), /secureJsonData/, 'no response carries secureJsonData')
})

t.test('real answers of the main endpoints match the document', async t => {
  const { app } = await build(t)
  const doc = await documentOf(app)
  const ajv = new Ajv2020({ strict: false, validateFormats: false })
  const check = async (method: string, url: string, path: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: { authorization: ADMIN }, ...(payload !== undefined ? { payload } : {}) })
    const responses = doc.paths[path]?.[method.toLowerCase()]?.responses
    let response = responses?.[String(res.statusCode)] ?? responses?.[`${String(res.statusCode)[0]}XX`]
    if (response?.$ref !== undefined) response = doc.components.responses[response.$ref.split('/').pop()]
    const schema = response?.content?.['application/json']?.schema
    if (schema === undefined) {
      t.fail(`${method} ${url} → ${res.statusCode}: the document has no JSON schema for it`)
      return res.json()
    }
    const validate = ajv.compile({ ...schema, components: doc.components })
    t.ok(validate(res.json()), `${method} ${url} → ${res.statusCode} matches ${path}${validate.errors ? ': ' + ajv.errorsText(validate.errors) : ''}`)
    return res.json()
  }
  await check('GET', '/api/health', '/api/health')
  await check('GET', '/api/org', '/api/org')
  await check('GET', '/api/user', '/api/user')
  await check('GET', '/api/org/users', '/api/org/users')
  const ds = await check('POST', '/api/datasources', '/api/datasources', { name: 'prom', type: 'prometheus', access: 'proxy', url: 'http://127.0.0.1:9', secureJsonData: { password: 's3cret' } })
  await check('GET', '/api/datasources', '/api/datasources')
  await check('GET', `/api/datasources/uid/${ds.datasource.uid}`, '/api/datasources/uid/{uid}')
  await check('GET', '/api/datasources/uid/missing', '/api/datasources/uid/{uid}')
  await check('POST', '/api/auth/keys', '/api/auth/keys', { name: 'k', role: 'Viewer' })
  await check('GET', '/api/auth/keys', '/api/auth/keys')
  await check('POST', '/api/dashboards/db', '/api/dashboards/db', { dashboard: { title: 'Doc' } })
  await check('GET', '/api/search', '/api/search')
  await check('GET', '/api/teams/search', '/api/teams/search')
  await check('GET', '/api/live/list', '/api/live/list')
  await check('POST', '/api/serviceaccounts', '/api/serviceaccounts', { name: 'robot', role: 'Viewer' })
  await check('GET', '/api/gatehouse/origin-check?origin=https://a.example', '/api/gatehouse/origin-check')
  await check('GET', '/api/gatehouse/activity', '/api/gatehouse/activity')
})

t.test('under a root_url sub path the paths stay Grafana\'s and the server URL carries the prefix', async t => {
  const { app } = await build(t, { server: { root_url: 'http://localhost:3000/grafana/', serve_from_sub_path: true } })
  const res = await app.inject('/grafana/public/openapi3.json')
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.same(doc.servers, [{ url: '/grafana' }])
  t.ok(doc.paths['/api/org'] !== undefined && doc.paths['/grafana/api/org'] === undefined)
  t.equal(doc.paths['/api/gatehouse/activity'].get['x-gatehouse-extension'], true)
  t.equal(doc.paths['/api/health'].get.security.length, 0)
  const page = await app.inject('/grafana/swagger')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'src="/grafana/swagger/static/swagger-ui-bundle.js"', 'the page\'s files are under the sub path')
})

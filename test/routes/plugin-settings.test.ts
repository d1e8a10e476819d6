// GET /api/plugins/:pluginId/settings: the list item of GET /api/plugins plus gatehouseFields, the
// jsonData and secureJsonData keys the plugin's routes read (what the data-source form asks for).
import t from 'tap'
import { api, build } from '../helpers/build.js'
import { tempDir, userWithRole, writePlugin } from '../helpers/datasources.js'

const TENANTS = {
  type: 'datasource',
  id: 'tenants-datasource',
  name: 'Tenants',
  info: { author: { name: 'Ops' }, version: '1.2.0' },
  routes: [
    {
      path: 'api',
      url: 'https://{{ .JsonData.region }}.example.com/{{.JsonData.tenant}}',
      headers: [
        { name: 'Authorization', content: 'Bearer {{.SecureJsonData.apiKey}}' },
        { name: 'X-Tenant', content: '{{.JsonData.tenant}}' }
      ],
      urlParams: [{ name: 'org', content: '{{ .JsonData.org.id | orEmpty }}' }],
      body: { nested: ['{{.SecureJsonData.bodySecret}}', { deep: '{{ .JsonData.region }}-{{ .JsonData.level }}' }] }
    },
    {
      path: 'token',
      method: 'GET',
      url: '{{.URL}}/v1',
      tokenAuth: { url: 'https://login.example.com/{{.JsonData.tenant}}/token', params: { client_id: '{{.JsonData.clientId}}', client_secret: '{{.SecureJsonData.clientSecret}}' } },
      jwtTokenAuth: { url: 'https://oauth2.example.com/token', scopes: ['https://example.com/{{.JsonData.scope}}'], params: { private_key: '{{.SecureJsonData.privateKey}}', client_email: '{{ .SecureJsonData.apiKey | orEmpty }}' } }
    }
  ]
}

const LIST_ITEM = {
  name: 'Tenants',
  type: 'datasource',
  id: 'tenants-datasource',
  enabled: true,
  pinned: false,
  info: { author: { name: 'Ops', url: '' }, description: '', logos: { small: '', large: '' }, version: '1.2.0', updated: '' },
  latestVersion: '',
  hasUpdate: false,
  defaultNavUrl: '',
  category: '',
  state: '',
  signature: 'unsigned',
  signatureType: '',
  signatureOrg: ''
}

async function withPlugins (t: { teardown: (fn: () => unknown) => void }, ...manifests: Array<Record<string, unknown>>) {
  const dir = tempDir(t)
  let plugins = ''
  for (const m of manifests) plugins = writePlugin(dir, m)
  return (await build(t, { paths: { plugins } })).app
}

t.test('the settings are the list item plus the fields the routes read, de-duplicated, in first-appearance order', async t => {
  const app = await withPlugins(t, TENANTS)
  const res = await api(app, 'GET', '/api/plugins/tenants-datasource/settings')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    ...LIST_ITEM,
    gatehouseFields: {
      // Not 'scope': token scopes are sent as written, not templates the proxy fills in.
      jsonData: ['region', 'tenant', 'org', 'level', 'clientId'],
      secureJsonData: ['apiKey', 'bodySecret', 'clientSecret', 'privateKey']
    }
  })
  const { gatehouseFields, ...item } = res.json()
  t.same([item], (await api(app, 'GET', '/api/plugins')).json(), 'the other fields are exactly the list item')
})

t.test('a plugin without routes or templates has empty field lists', async t => {
  const app = await withPlugins(t, { type: 'datasource', id: 'plain', name: 'Plain' }, { type: 'datasource', id: 'static', name: 'Static', routes: [{ path: 'x', url: 'http://127.0.0.1:1/{{.URL}}' }] })
  for (const id of ['plain', 'static']) {
    const res = await api(app, 'GET', `/api/plugins/${id}/settings`)
    t.equal(res.statusCode, 200)
    t.same(res.json().gatehouseFields, { jsonData: [], secureJsonData: [] }, id)
  }
})

t.test('an unknown plugin id is 404 "Plugin not found"', async t => {
  const app = await withPlugins(t, TENANTS)
  const res = await api(app, 'GET', '/api/plugins/no-such-plugin/settings')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { message: 'Plugin not found' })
})

t.test('a Viewer may read the settings; an anonymous request may not', async t => {
  const app = await withPlugins(t, TENANTS)
  const viewer = await userWithRole(app, 'viewer', 'Viewer')
  const res = await api(app, 'GET', '/api/plugins/tenants-datasource/settings', undefined, viewer)
  t.equal(res.statusCode, 200)
  t.same(res.json().gatehouseFields.secureJsonData, ['apiKey', 'bodySecret', 'clientSecret', 'privateKey'])
  const anonymous = await app.inject({ url: '/api/plugins/tenants-datasource/settings' })
  t.equal(anonymous.statusCode, 401)
})

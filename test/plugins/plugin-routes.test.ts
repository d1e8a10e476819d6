import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Agent } from 'undici'
import { api, build } from '../helpers/build.js'
import { createDataSource, tempDir, upstream, writePlugin } from '../helpers/datasources.js'
import { compileTemplate } from '../../plugins/datasource-proxy/template.js'
import { parseProxyPath, remainderAfter, joinPath } from '../../plugins/datasource-proxy/path.js'
import { TokenProvider } from '../../plugins/datasource-proxy/token-provider.js'

const GOOD = { type: 'datasource', id: 'good-datasource', name: 'Good', info: { logos: { small: 'img/logo.svg' }, version: '2.0.0' }, routes: [{ path: 'api', url: 'http://127.0.0.1:1' }] }

t.test('plugins are loaded at start and listed by GET /api/plugins; data sources show their name and logo', async t => {
  const dir = tempDir(t)
  const plugins = writePlugin(dir, GOOD)
  const { app } = await build(t, { paths: { plugins } })
  const res = await api(app, 'GET', '/api/plugins?type=datasource')
  t.equal(res.statusCode, 200)
  t.same(res.json(), [{
    name: 'Good',
    type: 'datasource',
    id: 'good-datasource',
    enabled: true,
    pinned: false,
    info: { author: { name: '', url: '' }, description: '', logos: { small: 'img/logo.svg', large: '' }, version: '2.0.0', updated: '' },
    latestVersion: '',
    hasUpdate: false,
    defaultNavUrl: '',
    category: '',
    state: '',
    signature: 'unsigned',
    signatureType: '',
    signatureOrg: ''
  }])
  t.same((await api(app, 'GET', '/api/plugins?type=panel')).json(), [])
  await createDataSource(app, { name: 'G', type: 'good-datasource' })
  const item = (await api(app, 'GET', '/api/datasources')).json()[0]
  t.same([item.typeName, item.typeLogoUrl], ['Good', 'public/plugins/good-datasource/img/logo.svg'])
})

t.test('an invalid plugin.json is skipped with a warning naming the file and the problem; the server still starts', async t => {
  const dir = tempDir(t)
  const plugins = writePlugin(dir, GOOD)
  const broken: Array<[string, string | object, string]> = [
    ['not-json', '{"type": "datasource",', 'not valid JSON'],
    ['no-id', { type: 'datasource', name: 'x' }, 'plugin.json must have required property \'id\''],
    ['bad-template', { type: 'datasource', id: 'bad-template', name: 'x', routes: [{ path: 'a', url: '{{ .Secrets.x }}' }] },
      'routes[0] (path \\"a\\"): unsupported template action \\"{{ .Secrets.x }}\\"'],
    ['bad-path', { type: 'datasource', id: 'bad-path', name: 'x', routes: [{ path: 'a/../b', url: 'http://x' }] }, 'must not contain \\"..\\"'],
    ['panel', { type: 'panel', id: 'panel', name: 'x' }, 'type \\"panel\\" is not supported'],
    ['zz-dup', { ...GOOD }, 'plugin id \\"good-datasource\\" is already used by another folder']
  ]
  for (const [folder, content] of broken) {
    mkdirSync(join(plugins, folder), { recursive: true })
    writeFileSync(join(plugins, folder, 'plugin.json'), typeof content === 'string' ? content : JSON.stringify(content))
  }
  const { app, logs } = await build(t, { paths: { plugins } })
  t.same((await api(app, 'GET', '/api/plugins')).json().map((p: { id: string }) => p.id), ['good-datasource'])
  for (const [folder, , reason] of broken) {
    const line = logs.find(l => l.includes('msg="Skipping invalid plugin"') && l.includes(join(plugins, folder, 'plugin.json')))
    t.ok(line?.includes('level=warn'), `${folder} is warned about`)
    t.ok(line?.includes(reason), `${folder}: ${reason}`)
  }
})

t.test('templates: Go-style fields, values inserted verbatim, <no value> for a missing key unless orEmpty', async t => {
  const data = { JsonData: { a: { b: 'deep' }, n: 3 }, SecureJsonData: { Test: '0asd+asd' }, URL: 'http://ds' }
  t.equal(compileTemplate('{{.SecureJsonData.Test}}')(data), '0asd+asd')
  t.equal(compileTemplate('x {{ .JsonData.a.b }} {{.JsonData.n}} {{.URL}}')(data), 'x deep 3 http://ds')
  t.equal(compileTemplate('[{{.JsonData.missing}}]')(data), '[<no value>]')
  t.equal(compileTemplate('[{{ .JsonData.missing | orEmpty }}]')(data), '[]')
  t.throws(() => compileTemplate('{{ printf "%s" .URL }}'), { message: 'unsupported template action "{{ printf "%s" .URL }}"' })
})

t.test('proxy paths: Grafana\'s joins, and the remainder after a route never leaves its segments', async t => {
  t.equal(joinPath('/api/v1/', 'some-route/'), '/api/v1/some-route/')
  t.equal(joinPath('', 'some/method'), '/some/method')
  t.equal(joinPath('/root/', ''), '/root/')
  const p = parseProxyPath('/api/services/afsd%2Fafsd/operations')
  t.same(p.match, ['api', 'services', 'afsd', 'afsd', 'operations'])
  t.equal(remainderAfter(p, 2), 'afsd%2Fafsd/operations')
  t.equal(remainderAfter(p, 3), undefined, 'a boundary inside an encoded segment is refused')
})

t.test('Grafana token cases: expires_in and expires_on as numbers or strings, expires_on wins, no expiry means refetch', async t => {
  const now = 1_700_000_000_000
  const cases: Array<[string, object, number]> = [
    ['expires_in as a string', { access_token: 'a', expires_in: '3600' }, now + 3600_000],
    ['expires_in as a number', { access_token: 'a', expires_in: 3600 }, now + 3600_000],
    ['expires_on as a string', { access_token: 'a', expires_on: String(now / 1000 + 7200) }, now + 7200_000],
    ['expires_on as a number', { access_token: 'a', expires_on: now / 1000 + 7200 }, now + 7200_000],
    ['both: expires_on wins', { access_token: 'a', expires_on: now / 1000 + 7200, expires_in: 60 }, now + 7200_000]
  ]
  const agent = new Agent()
  t.teardown(() => agent.close())
  for (const [name, body, expiresAt] of cases) {
    const server = await upstream(t, (_req, res) => res.end(JSON.stringify(body)))
    let clock = now
    const provider = new TokenProvider(agent, 5000, () => clock)
    const req = () => ({ route: 'r', url: server.url, form: {} })
    await provider.token('k', req)
    await provider.token('k', req)
    t.equal(server.seen.length, 1, `${name}: the second call is served from the cache`)
    clock = expiresAt - 10_001
    await provider.token('k', req)
    t.equal(server.seen.length, 1, `${name}: still cached just over 10 s before expiry`)
    clock = expiresAt - 10_000
    await provider.token('k', req)
    t.equal(server.seen.length, 2, `${name}: renewed 10 s before expiry`)
  }
  const bare = await upstream(t, (_req, res) => res.end('{"access_token":"a"}'))
  const provider = new TokenProvider(agent, 5000, () => now)
  await provider.token('k', () => ({ route: 'r', url: bare.url, form: {} }))
  await provider.token('k', () => ({ route: 'r', url: bare.url, form: {} }))
  t.equal(bare.seen.length, 2, 'a token without expiry is fetched again')
})

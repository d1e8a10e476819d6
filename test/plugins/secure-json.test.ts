import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config/load.js'
import { rotateDataKeys } from '../../plugins/secure-json/rotate.js'
import { api, build, dbKind } from '../helpers/build.js'
import { freshDatabase, type TestDatabase } from '../helpers/database.js'
import { createDataSource } from '../helpers/datasources.js'

const SECRET = 'hunter2-plaintext-value'
const OTHER = 'api-key-0123456789'

async function storedText (app: Awaited<ReturnType<typeof build>>['app']): Promise<string> {
  const rows = await sql`select ds::text as row from data_source ds union all select dk::text from data_keys dk`.execute(app.db)
  return JSON.stringify(rows.rows)
}

t.test('secrets are stored encrypted: no stored row holds a plaintext value', async t => {
  const { app } = await build(t)
  await createDataSource(app, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET, apiKey: OTHER } })
  const text = await storedText(app)
  for (const plain of [SECRET, OTHER]) {
    t.notOk(text.includes(plain), 'plaintext absent')
    t.notOk(text.includes(Buffer.from(plain).toString('base64').slice(0, 16)), 'base64 of the plaintext absent')
  }
  const row = await app.db.selectFrom('data_source').select('secure_json_data').executeTakeFirstOrThrow()
  const keys = await app.db.selectFrom('data_keys').select(['id', 'org_id', 'active']).execute()
  t.equal(keys.length, 1)
  t.same(keys[0], { id: keys[0]!.id, org_id: 1, active: true })
  t.same(Object.keys(row.secure_json_data).sort(), ['apiKey', 'password'])
  for (const v of Object.values(row.secure_json_data)) t.match(v, new RegExp(`^#${keys[0]!.id}#[A-Za-z0-9+/]+=*$`), 'tagged with its data key id')
})

t.test('secret values never appear in a response or a log line; the proxy view decrypts them', async t => {
  const { app, logs } = await build(t, { server: { router_logging: true } })
  const created = await api(app, 'POST', '/api/datasources', { name: 'A', type: 'prometheus', access: 'proxy', secureJsonData: { password: SECRET } })
  const bodies = [created.body]
  const { id } = created.json()
  bodies.push((await api(app, 'GET', `/api/datasources/${id}`)).body, (await api(app, 'GET', '/api/datasources')).body)
  bodies.push((await api(app, 'PUT', `/api/datasources/${id}`, { name: 'A', type: 'prometheus', access: 'proxy', secureJsonData: { apiKey: OTHER } })).body)
  bodies.push((await api(app, 'PUT', `/api/datasources/${id}`, { name: 'A', type: 'bad', access: 'proxy', url: '://x', secureJsonData: { apiKey: OTHER } })).body)
  for (const b of bodies) t.notOk(b.includes(SECRET) || b.includes(OTHER), 'no secret in the response')
  t.notOk(logs.join('\n').includes(SECRET) || logs.join('\n').includes(OTHER), 'no secret in the logs')
  t.same((await app.dataSources.resolve(1, { uid: created.json().datasource.uid }))?.secure, { password: SECRET, apiKey: OTHER })
})

t.test('PUT keeps a secret it omits and clears one sent as ""', async t => {
  const { app } = await build(t)
  const { id } = await createDataSource(app, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET, apiKey: OTHER } })
  const before = (await app.db.selectFrom('data_source').select('secure_json_data').executeTakeFirstOrThrow()).secure_json_data
  t.same((await app.dataSources.resolve(1, { id }))?.secure, { password: SECRET, apiKey: OTHER })
  const res = await api(app, 'PUT', `/api/datasources/${id}`, { name: 'A', type: 'prometheus', access: 'proxy', secureJsonData: { apiKey: '' } })
  t.same(res.json().datasource.secureJsonFields, { password: true })
  const after = (await app.db.selectFrom('data_source').select('secure_json_data').executeTakeFirstOrThrow()).secure_json_data
  t.same(after, { password: before.password }, 'the kept ciphertext is untouched, the cleared key is gone')
  t.same((await app.dataSources.resolve(1, { id }))?.secure, { password: SECRET }, 'the proxy view was dropped and re-read')
  const none = await api(app, 'PUT', `/api/datasources/${id}`, { name: 'A', type: 'prometheus', access: 'proxy' })
  t.same(none.json().datasource.secureJsonFields, { password: true }, 'no secureJsonData at all keeps everything')
})

t.test('each org has its own data key, and a ciphertext copied to another field does not decrypt', async t => {
  const { app } = await build(t)
  const org2 = (await api(app, 'POST', '/api/orgs', { name: 'Org Two' })).json().orgId
  await createDataSource(app, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET } })
  const res = await app.inject({
    method: 'POST',
    url: '/api/datasources',
    headers: { authorization: (await import('../helpers/build.js')).ADMIN, 'x-grafana-org-id': String(org2) },
    payload: { name: 'B', type: 'x', access: 'proxy', secureJsonData: { password: SECRET } }
  })
  t.equal(res.statusCode, 200)
  const keys = await app.db.selectFrom('data_keys').select(['org_id']).orderBy('org_id').execute()
  t.same(keys, [{ org_id: 1 }, { org_id: org2 }])
  const row = await app.db.selectFrom('data_source').select('secure_json_data').where('org_id', '=', 1).executeTakeFirstOrThrow()
  await t.rejects(app.secureJson.decrypt(1, { apiKey: row.secure_json_data.password! }))
  await t.rejects(app.secureJson.decrypt(org2, row.secure_json_data))
})

// Two starts on one database: the second start sees the first one's data keys.
async function starter (t: { teardown: (fn: () => unknown) => void }) {
  const database: TestDatabase = await freshDatabase()
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'))
  t.teardown(async () => { await database.drop(); rmSync(dir, { recursive: true, force: true }) })
  return async (security: Record<string, string>) => {
    const config = loadConfig({
      argv: [], cwd: dir, env: database.url !== undefined ? { DATABASE_URL: database.url } : {}, overrides: { paths: { data: dir }, security }
    })
    const app = await buildApp(config, { logSink: { write: () => {} }, ...(database.pglite !== undefined ? { pglite: database.pglite } : {}) })
    return app
  }
}

t.test('a server whose secret key opens no stored data key refuses to start, naming [security] secret_key', async t => {
  const start = await starter(t)
  const first = await start({ secret_key: 'old-secret' })
  await createDataSource(first, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET } })
  await t.rejects(start({ secret_key: 'new-secret' }), { message: /^\[security\] secret_key: 1 stored data key\(s\) \(.+\) cannot be decrypted with secret_key or any of previous_secret_keys/ })
  const second = await start({ secret_key: 'new-secret', previous_secret_keys: 'unrelated, old-secret' })
  t.same((await second.dataSources.resolve(1, { id: 1 }))?.secure, { password: SECRET }, 'a previous key still opens it')
  await second.close()
  await first.close()
})

t.test('rotation re-encrypts data keys under the new secret key; the old one is then no longer needed', async t => {
  const start = await starter(t)
  const first = await start({ secret_key: 'old-secret' })
  await createDataSource(first, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET } })
  const secretsBefore = await first.db.selectFrom('data_source').select('secure_json_data').executeTakeFirstOrThrow()
  await t.rejects(rotateDataKeys(first.db, { current: 'new-secret', previous: ['wrong'] }), { message: /^\[security\] secret_key: 1 stored data key/ })
  t.same(await rotateDataKeys(first.db, { current: 'new-secret', previous: ['old-secret'] }), { total: 1, rotated: 1 })
  t.same(await rotateDataKeys(first.db, { current: 'new-secret', previous: ['old-secret'] }), { total: 1, rotated: 0 }, 'a second run has nothing to do')
  t.same((await first.dataSources.resolve(1, { id: 1 }))?.secure, { password: SECRET }, 'the running server keeps working')
  const second = await start({ secret_key: 'new-secret' })
  t.same((await second.dataSources.resolve(1, { id: 1 }))?.secure, { password: SECRET })
  t.same(await second.db.selectFrom('data_source').select('secure_json_data').executeTakeFirstOrThrow(), secretsBefore, 'secrets themselves were not rewritten')
  await t.rejects(start({ secret_key: 'old-secret' }), { message: /secret_key/ })
  await second.close()
  await first.close()
})

t.test('npm run cli -- secrets rotate works end to end on a stored database', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'))
  const database = dbKind === 'postgres' ? await freshDatabase() : undefined
  t.teardown(async () => { await database?.drop(); rmSync(dir, { recursive: true, force: true }) })
  const env = database?.url !== undefined ? { DATABASE_URL: database.url } : {}
  const open = async (security: Record<string, string>) => {
    const config = loadConfig({ argv: [], cwd: dir, env, overrides: { paths: { data: dir }, security } })
    const pglite = database === undefined ? await PGlite.create(config.database.embeddedDir) : undefined
    return buildApp(config, { logSink: { write: () => {} }, ...(pglite !== undefined ? { pglite } : {}) })
  }
  const first = await open({ secret_key: 'old-secret' })
  await createDataSource(first, { name: 'A', type: 'prometheus', secureJsonData: { password: SECRET } })
  await first.close()
  const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli.ts', 'secrets', 'rotate'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { PATH: process.env.PATH, ...env, GF_PATHS_DATA: dir, GF_SECURITY_SECRET_KEY: 'new-secret', GF_SECURITY_PREVIOUS_SECRET_KEYS: 'old-secret' }
  })
  t.equal(cli.stdout, 'secrets rotate: 1 of 1 data key(s) re-encrypted under [security] secret_key\nprevious_secret_keys may now be emptied\n')
  const second = await open({ secret_key: 'new-secret' })
  t.same((await second.dataSources.resolve(1, { id: 1 }))?.secure, { password: SECRET })
  await second.close()
})

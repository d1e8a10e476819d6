// POST /api/admin/secrets/rotate: online rotation by the running server (the only owner of an
// embedded database), server admins only; and the CLI's rotation beside running PostgreSQL servers.
import t from 'tap'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { api, build, dbKind } from '../helpers/build.js'
import { createDataSource, userWithRole } from '../helpers/datasources.js'

const ROOT = join(import.meta.dirname, '..', '..')

t.test('a server admin rotates the data keys on a running server; a restart with only the new key then works', {
  skip: dbKind !== 'postgres' && 'PostgreSQL only (two servers on one database)'
}, async t => {
  const first = await build(t, { security: { secret_key: 'old-secret' } })
  await createDataSource(first.app, { name: 'A', type: 'prometheus', secureJsonData: { password: 'p4ss' } })
  // The operator's step before rotating: restart with the new key, the old one kept as previous.
  const second = await build(t, { security: { secret_key: 'new-secret', previous_secret_keys: 'old-secret' } }, {}, { sameDatabaseAs: first })
  const res = await api(second.app, 'POST', '/api/admin/secrets/rotate')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'Data keys re-encrypted under [security] secret_key', total: 1, rotated: 1 })
  const third = await build(t, { security: { secret_key: 'new-secret' } }, {}, { sameDatabaseAs: first })
  t.same((await third.app.dataSources.resolve(1, { id: 1 }))?.secure, { password: 'p4ss' }, 'a restart with only the new key starts and decrypts')
})

t.test('rotation moves data keys under the running server\'s secret_key on the embedded database too', async t => {
  const { app } = await build(t, { security: { secret_key: 'old-secret' } })
  await createDataSource(app, { name: 'A', type: 'prometheus', secureJsonData: { password: 'p4ss' } })
  // The running server's configuration as after a restart with the new key (old kept as previous).
  Object.assign(app.config.security.secretKeys, { current: 'new-secret', previous: ['old-secret'] })
  const res = await api(app, 'POST', '/api/admin/secrets/rotate')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'Data keys re-encrypted under [security] secret_key', total: 1, rotated: 1 })
  const again = await api(app, 'POST', '/api/admin/secrets/rotate')
  t.same(again.json(), { message: 'Data keys re-encrypted under [security] secret_key', total: 1, rotated: 0 }, 'a second run has nothing to do')
  t.same((await app.dataSources.resolve(1, { id: 1 }))?.secure, { password: 'p4ss' }, 'the server keeps working')
})

t.test('only server admins may rotate; org admins and anonymous callers change nothing', async t => {
  const { app } = await build(t)
  await createDataSource(app, { name: 'A', type: 'prometheus', secureJsonData: { password: 'p4ss' } })
  const before = await app.db.selectFrom('data_keys').selectAll().execute()
  const orgAdmin = await userWithRole(app, 'orgadmin', 'Admin')
  t.equal((await api(app, 'POST', '/api/admin/secrets/rotate', undefined, orgAdmin)).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/secrets/rotate' })).statusCode, 401)
  t.same(await app.db.selectFrom('data_keys').selectAll().execute(), before)
})

t.test('the CLI rotates on PostgreSQL beside a running server', { skip: dbKind !== 'postgres' && 'PostgreSQL only' }, async t => {
  const first = await build(t, { security: { secret_key: 'old-secret' } })
  await createDataSource(first.app, { name: 'A', type: 'prometheus', secureJsonData: { password: 'p4ss' } })
  const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli.ts', 'secrets', 'rotate'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: first.databaseUrl,
      GF_PATHS_DATA: first.dir,
      GF_SECURITY_SECRET_KEY: 'new-secret',
      GF_SECURITY_PREVIOUS_SECRET_KEYS: 'old-secret'
    }
  })
  t.equal(cli.stdout, 'secrets rotate: 1 of 1 data key(s) re-encrypted under [security] secret_key\nprevious_secret_keys may now be emptied\n')
  t.equal((await api(first.app, 'GET', '/api/datasources/1')).statusCode, 200, 'the running server keeps serving')
  const next = await build(t, { security: { secret_key: 'new-secret' } }, {}, { sameDatabaseAs: first })
  t.same((await next.app.dataSources.resolve(1, { id: 1 }))?.secure, { password: 'p4ss' }, 'a restart with only the new key works')
})

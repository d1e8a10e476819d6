// [database] url decides the database type by its scheme, and the start-up line says which database is in use.
import t from 'tap'
import { loadConfig } from '../../config/load.js'
import { build, dbKind } from '../helpers/build.js'

const load = (env: NodeJS.ProcessEnv = {}) => loadConfig({ argv: [], env, cwd: '/srv/gh' })

t.test('GF_DATABASE_URL alone selects PostgreSQL', async t => {
  const url = 'postgres://gh:s3cret@db.internal:5432/gate'
  t.match(load({ GF_DATABASE_URL: url }).database, { type: 'postgres', url })
  t.match(load({ GF_DATABASE_URL: 'postgresql://db/gate' }).database, { type: 'postgres' })
  t.match(load({ GF_DATABASE_URL: url, GF_DATABASE_TYPE: 'postgres' }).database, { type: 'postgres', url })
})

t.test('a scheme Gatehouse does not serve stops the start with one line naming the key', async t => {
  for (const url of ['mysql://root:pw@db/grafana', 'sqlite3:///var/lib/grafana/grafana.db']) {
    t.throws(() => load({ GF_DATABASE_URL: url }), { name: 'ConfigError', message: /^invalid config: \[database\] url: scheme must be postgres:\/\/ or postgresql:\/\/, got (mysql|sqlite3):\/\/ / }, url)
    t.throws(() => load({ GF_DATABASE_URL: url }), { message: /^[^\n]*$/ })
  }
  t.throws(() => load({ DATABASE_URL: 'mysql://db/x' }), { message: /^invalid config: DATABASE_URL: scheme must be postgres/ })
})

t.test('an explicit type that contradicts the URL is an error, never a silent choice', async t => {
  t.throws(() => load({ GF_DATABASE_URL: 'postgres://db/gate', GF_DATABASE_TYPE: 'embedded' }),
    {
      name: 'ConfigError', message: 'invalid config: [database] type = "embedded" contradicts [database] url, which names a postgres database: set one of them'
    })
})

t.test('the error never shows the password', async t => {
  t.throws(() => load({ GF_DATABASE_URL: 'mysql://root:hunter2@db/grafana' }), { message: /^(?!.*hunter2)/ })
})

t.test('the start-up line names the database in use, never its password', async t => {
  const { logs, databaseUrl } = await build(t)
  const line = logs.find(l => l.includes('Database ready'))
  t.ok(line, 'one Database ready line')
  if (dbKind === 'postgres') {
    const u = new URL(databaseUrl!)
    t.match(line, `type=postgres host=${u.hostname}:${u.port} database=${u.pathname.slice(1)}`)
    if (u.password !== '') t.notMatch(line, u.password)
  } else {
    t.match(line, 'type=embedded')
  }
})

// [server] workers: 1 by default, a number, or auto (one per core); PostgreSQL only above 1.
import t from 'tap'
import { availableParallelism } from 'node:os'
import { loadConfig } from '../../config/load.js'

const PG = { GF_DATABASE_TYPE: 'postgres', GF_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }
const load = (env: NodeJS.ProcessEnv) => loadConfig({ argv: [], env, cwd: '/srv/gh' })

t.test('workers: 1 by default, a number, or auto for one per core', async t => {
  t.equal(load({}).server.workers, 1)
  t.equal(load({ ...PG, GF_SERVER_WORKERS: '3' }).server.workers, 3)
  t.equal(load({ ...PG, GF_SERVER_WORKERS: 'auto' }).server.workers, availableParallelism())
})

t.test('a bad workers value stops the start naming key and value', async t => {
  t.throws(() => load({ ...PG, GF_SERVER_WORKERS: 'many' }),
    { name: 'ConfigError', message: 'invalid config: [server] workers = "many": must be a number of processes or auto' })
  t.throws(() => load({ ...PG, GF_SERVER_WORKERS: '0' }), { name: 'ConfigError', message: 'invalid config: [server] workers = "0": must be at least 1' })
})

t.test('more than one worker on the embedded database is refused, naming both keys', async t => {
  t.throws(() => load({ GF_SERVER_WORKERS: '2' }), { name: 'ConfigError', message: /^invalid config: \[server\] workers = "2": more than 1 needs \[database\] type = postgres/ })
  t.equal(load({ GF_SERVER_WORKERS: '1' }).server.workers, 1)
})

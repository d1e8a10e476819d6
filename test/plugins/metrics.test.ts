import t from 'tap'
import { ADMIN, basic, build } from '../helpers/build.js'

t.test('/metrics serves Prometheus text with HTTP, login and database metrics', async t => {
  const { app } = await build(t)
  await app.inject({ url: '/api/org', headers: { authorization: ADMIN } })
  await app.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'bad' } })
  await app.inject({ url: '/api/org', headers: { authorization: basic('admin', 'bad') } })
  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/plain/)
  t.match(res.body, /grafana_http_request_duration_seconds_count\{handler="\/api\/org",method="GET",status_code="200"\} 1/)
  t.match(res.body, /gatehouse_logins_total\{method="password",result="failure"\} 1/)
  t.match(res.body, /gatehouse_auth_failures_total\{method="basic"\} 1/)
  t.match(res.body, /gatehouse_db_pool_connections\{state="total"\} \d+/)
})

t.test('[metrics] enabled = false removes /metrics', async t => {
  const { app } = await build(t, { metrics: { enabled: false } })
  t.equal((await app.inject('/metrics')).statusCode, 404)
})

t.test('/metrics behind basic auth when a username and password are set', async t => {
  const { app } = await build(t, { metrics: { basic_auth_username: 'prom', basic_auth_password: 'scrape-me' } })
  const anon = await app.inject('/metrics')
  t.equal(anon.statusCode, 401)
  t.match(anon.headers['www-authenticate'], /^Basic/)
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: basic('prom', 'nope') } })).statusCode, 401)
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: basic('prom', 'scrape-me') } })).statusCode, 200)
})

t.test('the database pool gauge counts a connection held by a transaction and a query waiting for it', async t => {
  const { app } = await build(t, { database: { max_open_conn: 1 } })
  const pool = async () => Object.fromEntries([...(await app.inject('/metrics')).body.matchAll(/^gatehouse_db_pool_connections\{state="(\w+)"\} (\d+)$/gm)]
    .map(m => [m[1], Number(m[2])]))
  await app.db.selectFrom('org').select('id').execute()
  t.same(await pool(), { total: 1, idle: 1, waiting: 0 })

  let commit!: () => void
  const held = new Promise<void>(resolve => { commit = resolve })
  let started!: () => void
  const inTransaction = new Promise<void>(resolve => { started = resolve })
  const transaction = app.db.transaction().execute(async trx => {
    await trx.selectFrom('org').select('id').execute()
    started()
    await held
  })
  await inTransaction
  const queued = app.db.selectFrom('org').select('id').execute()
  t.same(await pool(), { total: 1, idle: 0, waiting: 1 }, 'one connection busy, one query waiting')
  commit()
  await transaction
  await queued
  t.same(await pool(), { total: 1, idle: 1, waiting: 0 })
})

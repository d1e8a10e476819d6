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

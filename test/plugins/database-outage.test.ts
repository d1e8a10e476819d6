// A PostgreSQL outage: 503 "Database unavailable" with Retry-After instead of a 500 per request,
// logged once when it starts and once when it ends, /api/health 503 meanwhile, nothing
// acknowledged lost. The database is reached through a TCP proxy on 127.0.0.1 the test can cut.
import t from 'tap'
import { createServer, type Server, type Socket, connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config/load.js'
import { ADMIN } from '../helpers/build.js'
import { dbKind, freshDatabase } from '../helpers/database.js'

/** A cuttable TCP path to PostgreSQL: cut() resets every connection and refuses new ones. */
async function cuttableProxy (target: URL): Promise<{ port: number, cut: () => Promise<void>, restore: () => Promise<void>, close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let server: Server
  let port = 0
  const listen = async (): Promise<void> => {
    server = createServer(client => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      sockets.add(client).add(upstream)
      client.pipe(upstream).pipe(client)
      const end = (): void => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
      client.on('error', end).on('close', end)
      upstream.on('error', end).on('close', end)
    })
    await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  }
  await listen()
  const cut = async (): Promise<void> => {
    const closed = new Promise<void>(resolve => server.close(() => resolve()))
    for (const s of sockets) s.resetAndDestroy()
    sockets.clear()
    await closed
  }
  return { port, cut, restore: listen, close: cut }
}

t.test('an outage answers 503 with Retry-After, logs once each way, and loses nothing acknowledged', {
  skip: dbKind !== 'postgres' && 'PostgreSQL only'
}, async t => {
  const database = await freshDatabase()
  const real = new URL(database.url!)
  const proxy = await cuttableProxy(real)
  const viaProxy = new URL(real)
  viaProxy.hostname = '127.0.0.1'
  viaProxy.port = String(proxy.port)
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-outage-'))
  const config = loadConfig({
    argv: [], cwd: dir, env: { DATABASE_URL: viaProxy.toString() }, overrides: { paths: { data: dir }, database: { connect_timeout: '2s' } }
  })
  const logs: string[] = []
  const app = await buildApp(config, { logSink: { write: (s: string) => { logs.push(s) } } })
  t.teardown(async () => { await app.close(); await proxy.close(); await database.drop(); rmSync(dir, { recursive: true, force: true }) })

  let acknowledged = 0
  const statuses = new Map<number, number>()
  const unavailable = new Set<string>()
  const createTeam = async (i: number): Promise<void> => {
    const res = await app.inject({ method: 'POST', url: '/api/teams', headers: { authorization: ADMIN }, payload: { name: `team-${i}` } })
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode === 200) acknowledged++
    else if (res.statusCode === 503) unavailable.add(`${res.headers['retry-after']} ${res.body}`)
  }
  // Load in flight while the connection is cut.
  let i = 0
  const load = async (): Promise<void> => { for (let n = 0; n < 40; n++) await createTeam(i++) }
  const running = Promise.all([load(), load(), load()])
  await new Promise(resolve => setTimeout(resolve, 150))
  await proxy.cut()
  await running

  const started = Date.now()
  const during = await app.inject({ method: 'GET', url: '/api/teams/search', headers: { authorization: ADMIN } })
  t.equal(during.statusCode, 503, 'a read during the outage')
  t.ok(Date.now() - started < 2_000 + 1_500, 'answered within the connect timeout')
  t.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 503, '/api/health says failing')
  t.same([...statuses.keys()].filter(s => s !== 200 && s !== 503), [], 'every answer was 200 or 503, never 500')
  t.ok((statuses.get(503) ?? 0) > 0, 'the cut was seen')
  t.same([...unavailable], ['5 {"message":"Database unavailable"}'], 'each 503: Retry-After 5 and the same message')

  const errorLines = logs.filter(l => l.includes('level=error'))
  t.equal(errorLines.length, 1, 'one error line for the whole outage: ' + errorLines.join(''))
  t.match(errorLines[0], /logger=sqlstore msg="database unreachable: answering 503 Database unavailable, retrying" reason=/)
  t.notMatch(logs.join(''), /\n\s+at /, 'no stack traces')

  await proxy.restore()
  for (let n = 0; n < 100 && (await app.inject({ method: 'GET', url: '/api/health' })).statusCode !== 200; n++) {
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200, 'healthy again without a restart')
  for (let n = 0; n < 50 && !logs.some(l => l.includes('database reachable again')); n++) await new Promise(resolve => setTimeout(resolve, 100))
  t.equal(logs.filter(l => l.includes('msg="database reachable again"')).length, 1, 'one line when it is back')
  t.match(logs.find(l => l.includes('database reachable again')), /level=info logger=sqlstore/)
  await createTeam(i++)
  t.equal((await app.inject({ method: 'POST', url: '/api/teams', headers: { authorization: ADMIN }, payload: { name: 'after' } })).statusCode,
    200, 'writes work again')

  const direct = new pg.Client({ connectionString: database.url })
  await direct.connect()
  const { rows } = await direct.query("select count(*)::int as n from team where name like 'team-%'")
  await direct.end()
  t.equal(rows[0].n, acknowledged, 'every acknowledged team is stored')
})

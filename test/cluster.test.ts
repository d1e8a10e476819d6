// [server] workers = 2, as an operator runs it (node dist/server.js): both workers serve, what one
// worker revokes no worker accepts, Live crosses workers without Redis, a crashed worker is
// replaced, and SIGTERM lets in-flight requests finish. Workers need PostgreSQL: on the embedded
// database the start is refused, which is what the embedded run checks.
import t from 'tap'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createServer as createHttpServer, request } from 'node:http'
import { freePort, startServer } from './helpers/server-process.js'
import { dbKind, freshDatabase } from './helpers/database.js'
import { basic } from './helpers/build.js'
import { clients, nextPublication, pushFrame, rawSubscriber, subscribed } from './helpers/live.js'

const ADMIN = basic('admin', 'admin')

const start = (env: Record<string, string>) => startServer(env, 'gh-cluster-')

/** Pids of the workers that logged "HTTP Server Listen", in order. */
const listening = (out: string): number[] => [...out.matchAll(/msg="HTTP Server Listen".* worker=\d+ pid=(\d+)/g)].map(m => Number(m[1]))

// Generous: two cold starts on a loaded 2-core machine take tens of seconds.
async function until (what: string, ok: () => boolean, log: () => string, ms = 240_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise(resolve => setTimeout(resolve, 100))) if (ok()) return
  throw new Error(`timed out waiting for ${what}; output so far:\n${log()}`)
}

/** One request on a connection of its own: node:cluster spreads connections over the workers. */
function call (port: number, method: string, path: string, authorization: string, body?: unknown): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false, headers: { authorization, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }
    }, r => {
      let data = ''
      r.on('data', d => { data += d })
      r.on('end', () => { resolve({ status: r.statusCode!, body: data }) })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const statuses = async (n: number, port: number, path: string, authorization: string): Promise<number[]> =>
  [...new Set(await Promise.all(Array.from({ length: n }, async () => (await call(port, 'GET', path, authorization)).status)))]

t.test('workers > 1 on the embedded database is refused with one line naming both keys', async t => {
  const s = start({ GF_SERVER_WORKERS: '2', GF_SERVER_HTTP_PORT: String(await freePort()) })
  t.teardown(s.cleanup)
  t.equal(await s.exited, 2)
  t.equal(s.err(), 'gatehouse: invalid config: [server] workers = "2": more than 1 needs [database] type = postgres ' +
    '(the embedded database has one owner process): 2 workers\n')
})

t.test('two workers on PostgreSQL', { skip: dbKind !== 'postgres' ? 'workers need PostgreSQL (TEST_DATABASE_URL)' : false }, async t => {
  const db = await freshDatabase()
  t.teardown(() => db.drop())
  const port = await freePort()
  const s = start({
    GF_SERVER_WORKERS: '2', GF_SERVER_HTTP_PORT: String(port), GF_SERVER_HTTP_ADDR: '127.0.0.1', GF_DATABASE_TYPE: 'postgres', GF_DATABASE_URL: db.url!
  })
  t.teardown(s.cleanup)
  await until('two workers listening', () => listening(s.out()).length === 2, () => s.out() + s.err())
  const [first, second] = listening(s.out())
  t.not(first, second, 'two processes serve')
  t.match(s.out(), /logger=cluster msg="Starting workers" workers=2/)

  t.test('a deleted API key is refused by every worker as soon as the delete is answered', async t => {
    const created = JSON.parse((await call(port, 'POST', '/api/auth/keys', ADMIN, { name: 'k', role: 'Viewer' })).body)
    const key = `Bearer ${created.key as string}`
    t.same(await statuses(20, port, '/api/org', key), [200], 'both workers have it cached')
    t.equal((await call(port, 'DELETE', `/api/auth/keys/${created.id as number}`, ADMIN)).status, 200)
    t.same(await statuses(20, port, '/api/org', key), [401])
  })

  t.test('a password change is effective on every worker at once for basic auth', async t => {
    const user = JSON.parse((await call(port, 'POST', '/api/admin/users', ADMIN, { login: 'wes', password: 'first-pw' })).body)
    t.ok(user.id)
    const old = basic('wes', 'first-pw')
    t.same(await statuses(20, port, '/api/org', old), [200])
    t.equal((await call(port, 'PUT', '/api/user/password', old, { oldPassword: 'first-pw', newPassword: 'second-pw' })).status, 200)
    t.same(await statuses(20, port, '/api/org', old), [401])
    t.same(await statuses(4, port, '/api/org', basic('wes', 'second-pw')), [200])
  })

  t.test('Live: subscribers on every worker receive a publication made through any worker, without Redis', async t => {
    const c = clients(t)
    const url = `ws://127.0.0.1:${port}/api/live/ws`
    const subs = await Promise.all(Array.from({ length: 4 }, async () => {
      const sub = (await c.connect(url, { authorization: ADMIN })).newSubscription('1/grafana/broadcast/cluster')
      t.same(await subscribed(sub), { state: 'subscribed' })
      return sub
    }))
    for (let n = 0; n < 2; n++) {
      const got = subs.map(sub => nextPublication(sub))
      t.equal((await call(port, 'POST', '/api/live/publish', ADMIN, { channel: 'grafana/broadcast/cluster', data: { n } })).status, 200)
      t.same(await Promise.all(got), Array(4).fill({ n }), `publication ${n} reached all four subscribers`)
    }
  })

  t.test('Live: join and leave cross workers as such; subscribers that did not ask get publications only, even data that reads "join"', async t => {
    const url = `ws://127.0.0.1:${port}/api/live/ws`
    const channel = '1/grafana/broadcast/lobby'
    const joined = (client: string) => pushFrame(channel, 'join', { info: { user: '1', client } })
    const watchers = [await rawSubscriber(t, url, channel, true)]
    t.equal(await watchers[0]!.socket.next(), joined(watchers[0]!.client))
    watchers.push(await rawSubscriber(t, url, channel, true))
    for (const w of watchers) t.equal(await w.socket.next(), joined(watchers[1]!.client))
    // One connection each: node:cluster spreads them over both workers.
    const plain = []
    for (let i = 0; i < 4; i++) {
      const p = await rawSubscriber(t, url, channel)
      for (const w of watchers) t.equal(await w.socket.next(), joined(p.client))
      plain.push(p)
    }
    for (const data of [{ join: { info: { user: '1', client: 'forged' } } }, 'leave']) {
      t.equal((await call(port, 'POST', '/api/live/publish', ADMIN, { channel: 'grafana/broadcast/lobby', data })).status, 200)
      for (const s of [...plain, ...watchers]) t.equal(await s.socket.next(), pushFrame(channel, 'pub', { data }), `${JSON.stringify(data)} is a publication`)
    }
    const [gone, ...stay] = plain
    gone!.socket.send({ unsubscribe: { channel }, id: 3 })
    for (const w of watchers) t.equal(await w.socket.next(), pushFrame(channel, 'leave', { info: { user: '1', client: gone!.client } }))
    t.equal((await call(port, 'POST', '/api/live/publish', ADMIN, { channel: 'grafana/broadcast/lobby', data: 'after' })).status, 200)
    for (const s of stay) t.equal(await s.socket.next(), pushFrame(channel, 'pub', { data: 'after' }), 'no join or leave came before it')
  })

  t.test('a crashed worker is replaced and the instance keeps serving', async t => {
    process.kill(second!, 'SIGKILL')
    await until('a replacement worker', () => listening(s.out()).length === 3, () => s.out() + s.err())
    t.match(s.out(), new RegExp(`logger=cluster msg="Worker exited; restarting it" pid=${second!} signal=SIGKILL restart_in_ms=\\d+$`, 'm'))
    t.same(await statuses(10, port, '/api/health', ''), [200])
  })

  t.test('SIGTERM: an in-flight request finishes, then the primary exits 0', async t => {
    const slow = createHttpServer((_req, res) => { setTimeout(() => { res.end('{"slow":true}') }, 1500) }).listen(0, '127.0.0.1')
    await once(slow, 'listening')
    t.teardown(() => { slow.close() })
    const ds = JSON.parse((await call(port, 'POST', '/api/datasources', ADMIN, { name: 'slow', type: 'x', access: 'proxy', url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` })).body)
    const inflight = call(port, 'GET', `/api/datasources/proxy/${ds.id as number}/x`, ADMIN)
    await new Promise(resolve => setTimeout(resolve, 500))
    s.proc.kill('SIGTERM')
    t.same(await inflight, { status: 200, body: '{"slow":true}' })
    t.equal(await s.exited, 0)
    t.match(s.out(), /logger=cluster msg="All workers finished; exiting"/)
  })
})

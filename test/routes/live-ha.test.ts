// [live] ha_engine = redis: several instances serve one set of subscribers through the local
// Redis (a unique ha_prefix per test); Redis outages leave local delivery working.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { Redis } from 'ioredis'
import { ADMIN, build, dbKind, type App } from '../helpers/build.js'
import { clients, listen, nextPublication, pushFrame, rawSubscriber, subscribed } from '../helpers/live.js'

const ha = (address = '127.0.0.1:6379') => ({ live: { ha_engine: 'redis', ha_engine_address: address, ha_prefix: `test_${randomBytes(6).toString('hex')}` } })
const publish = (app: App, channel: string, data: unknown) =>
  app.inject({ method: 'POST', url: '/api/live/publish', headers: { authorization: ADMIN }, payload: { channel, data } })
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Waits until `count` instances listen on the Live channel in Redis. */
async function redisSubscribers (t: { teardown: (fn: () => unknown) => void }, prefix: string, channel: string, count: number): Promise<void> {
  const r = new Redis({ host: '127.0.0.1', port: 6379 })
  t.teardown(() => { r.disconnect() })
  for (;;) {
    const [, n] = await r.pubsub('NUMSUB', `${prefix}.gf_live.client.v2.${channel}`) as [string, number]
    if (n >= count) return
    await sleep(20)
  }
}

t.test(`two instances (${dbKind === 'postgres' ? 'one shared database' : 'separate embedded databases, same admin'}) ` +
  "deliver each other's publications through Redis", async t => {
  const cfg = ha()
  const a = await build(t, cfg)
  const b = await build(t, cfg, {}, { sameDatabaseAs: a })
  const [urlA, urlB] = [await listen(a.app), await listen(b.app)]
  const cs = clients(t)
  const onA = (await cs.connect(urlA, { authorization: ADMIN })).newSubscription('1/grafana/broadcast/ha')
  const onB = (await cs.connect(urlB, { authorization: ADMIN })).newSubscription('1/grafana/broadcast/ha')
  await subscribed(onA)
  await subscribed(onB)
  await redisSubscribers(t, cfg.live.ha_prefix, '1/grafana/broadcast/ha', 2)

  let gotA = nextPublication(onA)
  let gotB = nextPublication(onB)
  t.equal((await publish(a.app, 'grafana/broadcast/ha', { from: 'a' })).statusCode, 200)
  t.same(await gotA, { from: 'a' }, 'local subscriber')
  t.same(await gotB, { from: 'a' }, 'subscriber on the other instance')

  gotA = nextPublication(onA)
  gotB = nextPublication(onB)
  await onB.publish({ from: 'b' })
  t.same(await gotB, { from: 'b' })
  t.same(await gotA, { from: 'b' }, 'a websocket publish crosses too')

  const other = (await cs.connect(urlB, { authorization: ADMIN })).newSubscription('1/grafana/broadcast/elsewhere')
  await subscribed(other)
  let leaked = false
  other.on('publication', () => { leaked = true })
  await publish(a.app, 'grafana/broadcast/ha', { only: 'ha' })
  await sleep(200)
  t.equal(leaked, false, 'other channels get nothing')
})

t.test('join and leave cross instances as such: only subscribers that asked get them; a publication whose data reads "join" reaches all', async t => {
  const cfg = ha()
  const a = await build(t, cfg)
  const b = await build(t, cfg, {}, { sameDatabaseAs: a })
  const [urlA, urlB] = [await listen(a.app), await listen(b.app)]
  const channel = '1/grafana/broadcast/lobby'
  const watcher = await rawSubscriber(t, urlA, channel, true)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: watcher.client } }))
  const plainA = await rawSubscriber(t, urlA, channel)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: plainA.client } }))
  await redisSubscribers(t, cfg.live.ha_prefix, channel, 1)
  const plainB = await rawSubscriber(t, urlB, channel)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: plainB.client } }), 'a join from the other instance')
  await redisSubscribers(t, cfg.live.ha_prefix, channel, 2)

  const joiner = await rawSubscriber(t, urlB, channel)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: joiner.client } }))
  for (const data of [{ join: { info: { user: '1', client: 'forged' } } }, 'leave']) {
    t.equal((await publish(b.app, 'grafana/broadcast/lobby', data)).statusCode, 200)
    for (const s of [plainA, plainB, joiner, watcher]) {
      t.equal(await s.socket.next(), pushFrame(channel, 'pub', { data }), `${JSON.stringify(data)} is a publication`)
    }
  }
  joiner.socket.send({ unsubscribe: { channel }, id: 3 })
  t.equal(await joiner.socket.next(), '{"id":3,"unsubscribe":{}}')
  t.equal(await watcher.socket.next(), pushFrame(channel, 'leave', { info: { user: '1', client: joiner.client } }), 'a leave from the other instance')
  t.equal((await publish(b.app, 'grafana/broadcast/lobby', 'after')).statusCode, 200)
  for (const s of [plainA, plainB]) t.equal(await s.socket.next(), pushFrame(channel, 'pub', { data: 'after' }), 'no join or leave came before it')
})

t.test('a Redis message without one of Live\'s kinds is dropped, not guessed from its text', async t => {
  const cfg = ha()
  const { app } = await build(t, cfg)
  const channel = '1/grafana/broadcast/wire'
  const plain = await rawSubscriber(t, await listen(app), channel)
  await redisSubscribers(t, cfg.live.ha_prefix, channel, 1)
  const r = new Redis({ host: '127.0.0.1', port: 6379 })
  t.teardown(() => { r.disconnect() })
  const redisChannel = `${cfg.live.ha_prefix}.gf_live.client.v2.${channel}`
  await r.publish(redisChannel, 'another-node\n"pub":{"data":"no kind line"}')
  await r.publish(redisChannel, 'another-node\nshout\n{"data":"unknown kind"}')
  await r.publish(redisChannel, 'another-node\npub\n{"data":"from another instance"}')
  t.equal(await plain.socket.next(), pushFrame(channel, 'pub', { data: 'from another instance' }))
})

t.test('Redis unreachable: the instance starts, serves its own subscribers and logs one error, not one per publish', async t => {
  const { app, logs } = await build(t, ha('127.0.0.1:1'))
  const url = await listen(app)
  const sub = (await clients(t).connect(url, { authorization: ADMIN })).newSubscription('1/grafana/broadcast/solo')
  await subscribed(sub)
  for (let i = 0; i < 5; i++) {
    const got = nextPublication(sub)
    t.equal((await publish(app, 'grafana/broadcast/solo', { i })).statusCode, 200)
    t.same(await got, { i })
  }
  await sleep(600) // several reconnect attempts
  const errors = logs.filter(l => l.includes('level=error') && l.includes('logger=live'))
  t.equal(errors.length, 1)
  t.match(errors[0], /msg="Live HA engine \(Redis\) unavailable: publications reach this instance's subscribers only until it is back" error="connect ECONNREFUSED 127\.0\.0\.1:1" address=127\.0\.0\.1:1/)
})

t.test('after a Redis outage the instances reconnect by themselves and cross-instance delivery resumes', async t => {
  // A TCP relay to the local Redis that the test can cut and restore on the same port.
  const conns = new Set<net.Socket>()
  const relay = net.createServer(s => {
    const up = net.connect(6379, '127.0.0.1')
    conns.add(s).add(up)
    s.pipe(up).pipe(s)
    const drop = () => { s.destroy(); up.destroy(); conns.delete(s); conns.delete(up) }
    s.on('error', drop).on('close', drop)
    up.on('error', drop).on('close', drop)
  })
  relay.listen(0, '127.0.0.1')
  await new Promise(resolve => relay.once('listening', resolve))
  const port = (relay.address() as net.AddressInfo).port
  t.teardown(() => { relay.close(); for (const s of conns) s.destroy() })

  const cfg = ha(`127.0.0.1:${port}`)
  const a = await build(t, cfg)
  const b = await build(t, cfg, {}, { sameDatabaseAs: a })
  const sub = (await clients(t).connect(await listen(b.app), { authorization: ADMIN })).newSubscription('1/grafana/broadcast/r')
  await subscribed(sub)
  await redisSubscribers(t, cfg.live.ha_prefix, '1/grafana/broadcast/r', 1)

  const [beforeA, beforeB] = [a.logs.length, b.logs.length]
  relay.close()
  for (const s of conns) s.destroy()
  await sleep(300)
  t.equal((await publish(a.app, 'grafana/broadcast/r', { lost: true })).statusCode, 200, 'publishing during the outage still answers')
  relay.listen(port, '127.0.0.1')
  await redisSubscribers(t, cfg.live.ha_prefix, '1/grafana/broadcast/r', 1)
  const back = (logs: string[], from: number) => logs.slice(from).some(l => l.includes('msg="Live HA engine (Redis) connected again"'))
  while (!back(a.logs, beforeA) || !back(b.logs, beforeB)) await sleep(20)
  const got = nextPublication(sub)
  await publish(a.app, 'grafana/broadcast/r', { back: true })
  t.same(await got, { back: true })
  t.equal(a.logs.slice(beforeA).filter(l => l.includes('level=error') && l.includes('logger=live')).length, 1, 'one error for the outage')
})

// Live's protocol edges over real sockets: connection and message limits, ping/pong, malformed
// or out-of-order commands, batching.
import t from 'tap'
import { ADMIN, api, build } from '../helpers/build.js'
import { clients, listen, nextEvent, pushFrame, rawSocket as raw, rawSubscriber, subscribed, type RawSocket } from '../helpers/live.js'

t.test('max_connections = 0: the client gets its connect reply, then close 3504 "connection limit", and a warning is logged', async t => {
  const { app, logs } = await build(t, { live: { max_connections: 0 } })
  const url = await listen(app)
  const c = clients(t).client(url, { authorization: ADMIN })
  const connected = nextEvent(c, 'connected')
  const disconnected = nextEvent(c, 'disconnected')
  c.connect()
  await connected
  const [ctx] = await disconnected
  t.equal(ctx.code, 3504)
  t.equal(ctx.reason, 'connection limit')
  t.match(logs.join(''), /level=warn logger=live msg="Max number of Live connections reached, increase max_connections in \[live\] configuration section" user=admin client=[0-9a-f-]{36} limit=0/)
})

t.test('max_connections = 1: the second connection is closed with 3504, the first stays and a slot frees on close', async t => {
  const { app } = await build(t, { live: { max_connections: 1 } })
  const url = await listen(app)
  const first = await raw(t, url)
  first.send({ connect: {}, id: 1 })
  t.match(JSON.parse(await first.next()), { id: 1, connect: { client: /^[0-9a-f-]{36}$/, ping: 25, pong: true } })
  const second = await raw(t, url)
  second.send({ connect: {}, id: 1 })
  t.match(JSON.parse(await second.next()), { id: 1, connect: {} })
  t.same(await second.closed, { code: 3504, reason: 'connection limit' })
  first.ws.close()
  await first.closed
  const third = await raw(t, url)
  third.send({ connect: {}, id: 1 })
  await third.next()
  third.send({ subscribe: { channel: '1/grafana/broadcast/x' }, id: 2 })
  t.equal(await third.next(), '{"id":2,"subscribe":{}}', 'still open after its connect')
})

t.test('a message over message_size_limit closes the socket with 1009; the client does not reconnect', async t => {
  const { app } = await build(t, { live: { message_size_limit: 1024 } })
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const disconnected = nextEvent(c, 'disconnected')
  c.publish('1/grafana/broadcast/x', { blob: 'x'.repeat(2000) }).catch(() => {})
  const [ctx] = await disconnected
  t.equal(ctx.code, 3)
  t.equal(ctx.reason, 'message size limit exceeded')
  const s = await raw(t, url)
  s.send({ connect: {}, id: 1 }, { publish: { channel: '1/grafana/broadcast/x', data: 'y'.repeat(1100) }, id: 2 })
  t.equal((await s.closed).code, 1009)
})

t.test('the server pings with {} and closes with 3012 "no pong" when no pong comes; the real client answers and stays', async t => {
  const { app } = await build(t, {}, {}, { app: { live: { timings: { pingIntervalMs: 150, pongTimeoutMs: 150, connectTimeoutMs: 5000 } } } })
  const url = await listen(app)
  const s = await raw(t, url)
  s.send({ connect: {}, id: 1 })
  t.match(JSON.parse(await s.next()), { connect: { ping: 1, pong: true } })
  t.equal(await s.next(), '{}')
  t.same(await s.closed, { code: 3012, reason: 'no pong' })

  const c = await clients(t).connect(url, { authorization: ADMIN })
  let lost = false
  c.on('disconnected', () => { lost = true })
  c.on('connecting', () => { lost = true })
  await new Promise(resolve => setTimeout(resolve, 1000))
  t.equal(lost, false, 'answered several pings')
  t.equal(c.state, 'connected')
})

t.test('a socket that never sends connect is closed with 3502 "stale"', async t => {
  const { app } = await build(t, {}, {}, { app: { live: { timings: { pingIntervalMs: 25000, pongTimeoutMs: 10000, connectTimeoutMs: 150 } } } })
  const s = await raw(t, await listen(app))
  t.same(await s.closed, { code: 3502, reason: 'stale' })
})

t.test('protocol errors close with 3501 "bad request": a command before connect, a second connect, malformed JSON, an unsolicited pong', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const cases: Array<[string, (s: RawSocket) => void]> = [
    ['subscribe before connect', s => { s.send({ subscribe: { channel: '1/grafana/broadcast/x' }, id: 1 }) }],
    ['second connect', s => { s.send({ connect: {}, id: 1 }, { connect: {}, id: 2 }) }],
    ['malformed JSON', s => { s.ws.send('{"connect":') }],
    ['pong without a ping', s => { s.send({ connect: {}, id: 1 }, {}) }]
  ]
  for (const [name, act] of cases) {
    const s = await raw(t, url)
    act(s)
    t.same(await s.closed, { code: 3501, reason: 'bad request' }, name)
  }
})

t.test('one frame may carry several commands; replies come by id; unknown methods get 104', async t => {
  const { app } = await build(t)
  const s = await raw(t, await listen(app))
  s.send({ connect: {}, id: 1 }, { subscribe: { channel: '1/grafana/broadcast/x' }, id: 2 }, { rpc: { method: 'grafana.query', data: {} }, id: 3 },
    { frobnicate: {}, id: 4 }, { history: { channel: '1/grafana/broadcast/x' }, id: 5 })
  t.match(JSON.parse(await s.next()), { id: 1, connect: {} })
  t.equal(await s.next(), '{"id":2,"subscribe":{}}')
  t.equal(await s.next(), '{"id":3,"error":{"code":104,"message":"method not found"}}')
  t.equal(await s.next(), '{"id":4,"error":{"code":104,"message":"method not found"}}')
  t.equal(await s.next(), '{"id":5,"error":{"code":108,"message":"not available"}}')
  s.send({ publish: { channel: '1/grafana/broadcast/x', data: { a: 1 } }, id: 6 })
  const frames = [await s.next(), await s.next()].sort()
  t.same(frames, ['{"id":6,"publish":{}}', '{"push":{"channel":"1/grafana/broadcast/x","pub":{"data":{"a":1}}}}'])
  s.send({ subscribe: { channel: '1/grafana/broadcast/x' }, id: 7 })
  t.equal(await s.next(), '{"id":7,"error":{"code":105,"message":"already subscribed"}}')
  s.send({ unsubscribe: { channel: '1/grafana/broadcast/x' }, id: 8 })
  t.equal(await s.next(), '{"id":8,"unsubscribe":{}}')
})

t.test('join and leave pushes reach subscribers that asked for them', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const cs = clients(t)
  const watcher = await cs.connect(url, { authorization: ADMIN })
  const sub = watcher.newSubscription('1/grafana/broadcast/room', { joinLeave: true })
  const joins: Array<{ user: string, client: string }> = []
  sub.on('join', ctx => { joins.push(ctx.info) })
  await subscribed(sub)
  const other = await cs.connect(url, { authorization: ADMIN })
  const otherSub = other.newSubscription('1/grafana/broadcast/room')
  await subscribed(otherSub)
  while (joins.length < 2) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(joins[1]!.user, '1')
  t.not(joins[1]!.client, joins[0]!.client, 'its own join first, then the other client\'s')
  const left = nextEvent(sub, 'leave')
  otherSub.unsubscribe()
  const [leave] = await left
  t.same(leave.info, joins[1])
})

t.test('join and leave pushes reach only subscribers that asked for them; a publication whose data reads "join" reaches everyone', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const channel = '1/grafana/broadcast/lobby'
  const watcher = await rawSubscriber(t, url, channel, true)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: watcher.client } }), 'its own join')
  const plain = await rawSubscriber(t, url, channel)
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: plain.client } }))

  for (const data of [{ join: { info: { user: '1', client: 'forged' } } }, 'join', { leave: 1 }]) {
    t.equal((await api(app, 'POST', '/api/live/publish', { channel: 'grafana/broadcast/lobby', data })).statusCode, 200)
    t.equal(await plain.socket.next(), pushFrame(channel, 'pub', { data }), `${JSON.stringify(data)} reaches the subscriber without join/leave`)
    t.equal(await watcher.socket.next(), pushFrame(channel, 'pub', { data }))
  }
  plain.socket.send({ unsubscribe: { channel }, id: 3 })
  t.equal(await plain.socket.next(), '{"id":3,"unsubscribe":{}}')
  t.equal(await watcher.socket.next(), pushFrame(channel, 'leave', { info: { user: '1', client: plain.client } }))
  plain.socket.send({ subscribe: { channel }, id: 4 })
  t.equal(await plain.socket.next(), '{"id":4,"subscribe":{"data":{"leave":1}}}', 'the last publication replayed')
  t.equal(await watcher.socket.next(), pushFrame(channel, 'join', { info: { user: '1', client: plain.client } }))
  watcher.socket.ws.close()
  await watcher.socket.closed
  t.equal((await api(app, 'POST', '/api/live/publish', { channel: 'grafana/broadcast/lobby', data: 'after' })).statusCode, 200)
  t.equal(await plain.socket.next(), pushFrame(channel, 'pub', { data: 'after' }), 'the watcher\'s leave did not reach it')
})

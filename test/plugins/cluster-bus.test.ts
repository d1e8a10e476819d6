// The worker side of the cluster bus, against an in-memory channel standing in for node:cluster's IPC.
import t from 'tap'
import { EventEmitter } from 'node:events'
import { ClusterBus, type Channel } from '../../plugins/cluster/bus.js'
import type { Message } from '../../plugins/cluster/messages.js'
import { ClusterBroker, connectionShare } from '../../plugins/live/cluster-broker.js'
import type { Push } from '../../plugins/live/protocol.js'

function channel (): Channel & { sent: Message[], emit: (event: 'message', m: unknown) => boolean } {
  const e = new EventEmitter() as EventEmitter & { sent: Message[] }
  e.sent = []
  return Object.assign(e,
    { send: (m: Message) => { e.sent.push(m) } }) as unknown as Channel & { sent: Message[], emit: (event: 'message', m: unknown) => boolean }
}

t.test('in a single process broadcast applies the handlers before it resolves', async t => {
  const bus = new ClusterBus(undefined, 0, 1000, () => { t.fail('no timeout') })
  const seen: unknown[] = []
  bus.on('x', p => { seen.push(p) })
  const done = bus.broadcast('x', { id: 1 })
  t.same(seen, [{ id: 1 }], 'applied synchronously')
  await done
})

t.test('in a worker broadcast resolves when the primary says every other worker applied it', async t => {
  const ch = channel()
  const bus = new ClusterBus(ch, 1, 5000, () => { t.fail('no timeout') })
  let resolved = false
  const done = bus.broadcast('x', 1).then(() => { resolved = true })
  t.match(ch.sent, [{ kind: 'publish', topic: 'x', payload: 1, id: 1 }])
  await new Promise(resolve => setImmediate(resolve))
  t.equal(resolved, false, 'waits for the primary')
  ch.emit('message', { tag: 'gatehouse.cluster', kind: 'done', id: 1 })
  await done
  t.equal(resolved, true)
})

t.test('a delivery from another worker is applied and acknowledged; foreign messages are ignored', async t => {
  const ch = channel()
  const bus = new ClusterBus(ch, 2, 5000, () => {})
  const seen: unknown[] = []
  bus.on('x', p => { seen.push(p) })
  ch.emit('message', { cmd: 'NODE_CLUSTER', act: 'something' })
  ch.emit('message', { tag: 'gatehouse.cluster', kind: 'deliver', topic: 'x', payload: 'p', id: 7, origin: 1 })
  t.same(seen, ['p'])
  t.same(ch.sent, [{ tag: 'gatehouse.cluster', kind: 'ack', id: 7, origin: 1 }])
})

t.test('a worker that never confirms cannot hang the change: it resolves after the timeout and says so', async t => {
  const ch = channel()
  const timedOut: string[] = []
  const bus = new ClusterBus(ch, 1, 50, topic => { timedOut.push(topic) })
  await bus.broadcast('api-keys.changed', {})
  t.same(timedOut, ['api-keys.changed'])
})

t.test('[live] max_connections is shared equally by the workers', async t => {
  t.equal(connectionShare(100, 1), 100)
  t.equal(connectionShare(100, 3), 33)
  t.equal(connectionShare(-1, 4), -1, 'unlimited stays unlimited')
})

t.test('Live pushes cross the bus with their kind as a field; a payload without one of Live\'s kinds is dropped', async t => {
  const ch = channel()
  const seen: Array<[string, Push]> = []
  const broker = new ClusterBroker(new ClusterBus(ch, 1, 1000, () => {}), (c, push) => { seen.push([c, push]) })
  broker.publish('1/grafana/broadcast/x', { kind: 'join', body: '{"info":{"user":"1","client":"c1"}}' })
  t.same(ch.sent, [{
    tag: 'gatehouse.cluster',
    kind: 'publish',
    topic: 'live.publish',
    payload: { channel: '1/grafana/broadcast/x', kind: 'join', body: '{"info":{"user":"1","client":"c1"}}' }
  }])
  const deliver = (payload: unknown) => ch.emit('message', { tag: 'gatehouse.cluster', kind: 'deliver', topic: 'live.publish', payload })
  deliver({ channel: '1/grafana/broadcast/y', inner: '"join":{"info":{}}' })
  deliver({ channel: '1/grafana/broadcast/y', kind: 'shout', body: '{"data":1}' })
  deliver({ channel: '1/grafana/broadcast/y', kind: 'pub', body: '{"data":{"join":1}}' })
  t.same(seen, [['1/grafana/broadcast/y', { kind: 'pub', body: '{"data":{"join":1}}' }]])
})

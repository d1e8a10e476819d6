// Channel names (grafana-plugin-sdk-go live.ParseChannel rules) and the org prefix, and the
// Centrifuge JSON frame decoder.
import t from 'tap'
import { parseChannel, stripOrgId } from '../../plugins/live/channels.js'
import { decodeFrame, encodePush, publication } from '../../plugins/live/protocol.js'
import { maxPayload } from '../../plugins/live.js'

t.test('valid channels split into scope, namespace and path on the first two slashes', async t => {
  t.same(parseChannel('grafana/dashboard/uid/abc'), { scope: 'grafana', namespace: 'dashboard', path: 'uid/abc' })
  t.same(parseChannel('stream/telegraf/cpu'), { scope: 'stream', namespace: 'telegraf', path: 'cpu' })
  t.same(parseChannel('plugin/testdata/random-20Hz-stream'), { scope: 'plugin', namespace: 'testdata', path: 'random-20Hz-stream' })
  t.same(parseChannel('a/b/x=1,y.2/z'), { scope: 'a', namespace: 'b', path: 'x=1,y.2/z' })
  t.same(parseChannel('a^/b_/c'), { scope: 'a^', namespace: 'b_', path: 'c' }, 'A-z admits ^ as in the SDK')
})

t.test('invalid channels: too few parts, empty parts, bad characters, over 160 characters', async t => {
  for (const id of ['', 'grafana', 'grafana/broadcast', 'grafana/broadcast/', '/b/c', 'a//c', 'a b/c/d', 'a/b c/d', 'a/b/c d', 'a/b/c?', 'a/b/ü']) {
    t.equal(parseChannel(id), undefined, JSON.stringify(id))
  }
  t.ok(parseChannel('a/b/' + 'x'.repeat(156)))
  t.equal(parseChannel('a/b/' + 'x'.repeat(157)), undefined)
})

t.test('the org prefix: a number, then the channel', async t => {
  t.same(stripOrgId('1/grafana/broadcast/x'), { orgId: 1, channel: 'grafana/broadcast/x' })
  t.same(stripOrgId('42/x'), { orgId: 42, channel: 'x' })
  t.equal(stripOrgId('grafana/broadcast/x'), undefined)
  t.equal(stripOrgId('1'), undefined)
  t.equal(stripOrgId('/1/x'), undefined)
})

t.test('frames: newline-separated commands, pongs, unknown methods, malformed input', async t => {
  t.same(decodeFrame('{"connect":{},"id":1}\n{"subscribe":{"channel":"1/a/b/c"},"id":2}'), [
    { kind: 'call', id: 1, method: 'connect', params: {} },
    { kind: 'call', id: 2, method: 'subscribe', params: { channel: '1/a/b/c' } }
  ])
  t.same(decodeFrame('{}'), [{ kind: 'pong' }])
  t.same(decodeFrame('{"send":{"data":{"a":1}}}'), [{ kind: 'send', data: { a: 1 } }])
  t.same(decodeFrame('{"nope":{},"id":3}'), [{ kind: 'unknown', id: 3 }])
  for (const bad of ['{', '[]', '"x"', '{"connect":{}}', '{"connect":{},"id":0}', '{"connect":{},"id":1.5}', '{"connect":1,"id":1}',
    '{"connect":{},"subscribe":{},"id":1}']) {
    t.equal(decodeFrame(bad), undefined, bad)
  }
})

t.test('a publication push embeds its data as raw JSON', async t => {
  t.equal(encodePush('1/grafana/broadcast/x', publication('{"a":[1,2]}')), '{"push":{"channel":"1/grafana/broadcast/x","pub":{"data":{"a":[1,2]}}}}')
})

t.test('message_size_limit maps to ws maxPayload: 0 is Centrifuge\'s 64 KiB default, -1 unlimited', async t => {
  t.equal(maxPayload(65536), 65536)
  t.equal(maxPayload(0), 65536)
  t.equal(maxPayload(-1), 0)
})

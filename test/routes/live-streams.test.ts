// Live channels fed by the server: dashboard save/delete events and Telegraf's line-protocol push.
import t from 'tap'
import { ADMIN, basic, build, type App, api } from '../helpers/build.js'
import { clients, listen, nextPublication, subscribed } from '../helpers/live.js'

const push = (app: App, url: string, body: string, authorization = ADMIN, contentType = 'text/plain; charset=utf-8') =>
  app.inject({ method: 'POST', url, headers: { authorization, 'content-type': contentType }, payload: body })

t.test('saving and deleting a dashboard publishes {"uid","action"} on its channel; subscribing needs read access', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const saved = await api(app, 'POST', '/api/dashboards/db', { dashboard: { uid: 'ops', title: 'Ops' } })
  t.equal(saved.statusCode, 200)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const sub = c.newSubscription('1/grafana/dashboard/uid/ops')
  t.same(await subscribed(sub), { state: 'subscribed' })

  let got = nextPublication(sub)
  t.equal((await api(app, 'POST', '/api/dashboards/db', { dashboard: { uid: 'ops', title: 'Ops 2' }, overwrite: true })).statusCode, 200)
  t.same(await got, { uid: 'ops', action: 'saved' })
  got = nextPublication(sub)
  t.equal((await api(app, 'DELETE', '/api/dashboards/uid/ops')).statusCode, 200)
  t.same(await got, { uid: 'ops', action: 'deleted' })

  t.same(await subscribed(c.newSubscription('1/grafana/dashboard/uid/missing')), { state: 'unsubscribed', code: 403, reason: 'Forbidden' })
  t.same(await subscribed(c.newSubscription('1/grafana/dashboard/other/ops')), { state: 'unsubscribed', code: 404, reason: 'Not Found' })
})

t.test('push: line protocol becomes one labels_column frame per measurement on stream/<id>/<measurement>', async t => {
  const { app } = await build(t)
  const url = await listen(app)
  const c = await clients(t).connect(url, { authorization: ADMIN })
  const sub = c.newSubscription('1/stream/telegraf/cpu')
  await subscribed(sub)
  const got = nextPublication(sub)
  const body = [
    'cpu,host=a,dc=eu usage=1.5,count=3i,up=true 1700000000000000000',
    'mem,host=a used=10 1700000000000000000',
    'cpu,host=b usage=2 1700000000001500000'
  ].join('\n')
  const res = await push(app, '/api/live/push/telegraf', body)
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.same(await got, {
    schema: {
      name: 'cpu',
      fields: [
        { name: 'labels', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'count', type: 'number', typeInfo: { frame: 'float64', nullable: true } },
        { name: 'up', type: 'boolean', typeInfo: { frame: 'bool', nullable: true } },
        { name: 'usage', type: 'number', typeInfo: { frame: 'float64', nullable: true } }
      ]
    },
    data: {
      values: [['dc=eu, host=a', 'host=b'], [1700000000000, 1700000000001], [3, null], [true, null], [1.5, 2]], nanos: [null, [0, 500000], null, null, null]
    }
  })

  const next = nextPublication(sub)
  t.equal((await push(app, '/api/live/push/telegraf', 'cpu,host=a usage=3,count=1i,up=false 1700000001000000000', ADMIN,
    'application/x-www-form-urlencoded')).statusCode, 200)
  t.same(await next, { data: { values: [['host=a'], [1700000001000], [1], [false], [3]] } }, 'same schema: data only')

  const late = await clients(t).connect(url, { authorization: ADMIN })
  const replay = await subscribed(late.newSubscription('1/stream/telegraf/cpu'))
  t.match(replay, { state: 'subscribed', data: { schema: { name: 'cpu' }, data: { values: [['host=a'], [1700000001000], [1], [false], [3]] } } },
    'the last frame is replayed on subscribe')

  const list = await api(app, 'GET', '/api/live/list')
  t.equal(list.statusCode, 200)
  t.same(list.json().channels.map((ch: { channel: string, minute_rate: number }) => [ch.channel, ch.minute_rate]),
    [['stream/telegraf/cpu', 2], ['stream/telegraf/mem', 1]])
  t.match(list.json().channels[1].data, { schema: { name: 'mem' }, data: { values: [['host=a'], [1700000000000], [10]] } })
})

t.test('push: a bad line is a 400 naming its line number and text, and nothing is published', async t => {
  const { app } = await build(t)
  const body = 'cpu,host=a usage=1 1700000000000000000\n# a comment\n\ncpu,host=b usage=oops 1700000000000000000\n'
  const res = await push(app, '/api/live/push/telegraf', body)
  t.equal(res.statusCode, 400)
  t.same(res.json(), { message: 'invalid line protocol at line 4: invalid value "oops" for field "usage": cpu,host=b usage=oops 1700000000000000000' })
  t.same((await api(app, 'GET', '/api/live/list')).json(), { channels: [] })

  const conflict = await push(app, '/api/live/push/telegraf', 'cpu v=1\ncpu v="text"')
  t.equal(conflict.statusCode, 400)
  t.same(conflict.json(), { message: 'invalid line protocol at line 2: field "v" changes type (was numeric): cpu v="text"' })
  const badName = await push(app, '/api/live/push/telegraf', 'cpu\\ load v=1')
  t.equal(badName.statusCode, 400)
  t.match(badName.json().message, /^invalid line protocol at line 1: measurement "cpu load" cannot name a Live channel/)
  const format = await push(app, '/api/live/push/telegraf?gf_live_frame_format=tall', 'cpu v=1')
  t.equal(format.statusCode, 400)
  t.same(format.json(), { message: 'unsupported gf_live_frame_format "tall" (use labels_column or wide)' })
  t.same((await api(app, 'GET', '/api/live/list')).json(), { channels: [] })
})

t.test('push: the wide format has a time field and one field per key and tag set', async t => {
  const { app } = await build(t)
  const res = await push(app, '/api/live/push/telegraf?gf_live_frame_format=wide',
    'cpu,host=a usage=1 1000000\ncpu,host=b usage=2 1000000\ncpu,host=a usage=3 2000000')
  t.equal(res.statusCode, 200)
  const [ch] = (await api(app, 'GET', '/api/live/list')).json().channels
  t.same(ch.data, {
    schema: {
      name: 'cpu',
      fields: [
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'usage', type: 'number', typeInfo: { frame: 'float64', nullable: true }, labels: { host: 'a' } },
        { name: 'usage', type: 'number', typeInfo: { frame: 'float64', nullable: true }, labels: { host: 'b' } }
      ]
    },
    data: { values: [[1, 2], [1, 3], [2, null]] }
  })
})

t.test('push needs Editor; a Viewer gets 403 and publishes nothing', async t => {
  const { app } = await build(t)
  await api(app, 'POST', '/api/admin/users', { login: 'viewer', password: 'viewer-password', email: 'v@example.com' })
  const res = await push(app, '/api/live/push/telegraf', 'cpu v=1', basic('viewer', 'viewer-password'))
  t.equal(res.statusCode, 403)
  t.same((await api(app, 'GET', '/api/live/list')).json(), { channels: [] })
  t.equal((await app.inject({ method: 'POST', url: '/api/live/push/telegraf', payload: 'cpu v=1' })).statusCode, 401)
})

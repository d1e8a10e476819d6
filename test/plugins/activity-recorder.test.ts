// The activity recorder: per-minute series for 15 minutes, percentiles from a fixed histogram,
// memory bounded however many data sources and minutes go by.
import t from 'tap'
import { ActivityRecorder } from '../../plugins/activity/recorder.js'
import { WINDOW_MINUTES } from '../../plugins/activity/minutes.js'

const MINUTE = 60_000
function clock (start = 1_800_000_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => { now += ms } }
}

t.test('requests land in their minute by status class, oldest minute first', async t => {
  const c = clock()
  const a = new ActivityRecorder(c.now)
  a.proxied(1, 'prom', 'Prometheus', 200, 4)
  a.proxied(1, 'prom', 'Prometheus', 503, 40)
  c.advance(MINUTE)
  a.proxied(1, 'prom', 'Prometheus', 404, 3)
  const s = a.series(1)
  t.equal(s.minutes.length, WINDOW_MINUTES)
  t.equal(s.minutes.at(-1), Math.floor(c.now() / MINUTE) * 60)
  t.equal(s.minutes.at(-1)! - s.minutes[0]!, (WINDOW_MINUTES - 1) * 60)
  const ds = s.datasources[0]!
  t.same([ds.uid, ds.name], ['prom', 'Prometheus'])
  t.same(ds.requests['2xx'].slice(-2), [1, 0])
  t.same(ds.requests['5xx'].slice(-2), [1, 0])
  t.same(ds.requests['4xx'].slice(-2), [0, 1])
  t.same(ds.p50Ms.slice(-3), [null, 5, 3], 'p50 is the bucket bound, never above the slowest request; null when idle')
  t.same(ds.p99Ms.slice(-2), [40, 3])
})

t.test('p50 and p99 come from the histogram of the minute', async t => {
  const a = new ActivityRecorder(clock().now)
  for (let i = 0; i < 98; i++) a.proxied(1, 'x', 'X', 200, 3)
  a.proxied(1, 'x', 'X', 200, 700)
  a.proxied(1, 'x', 'X', 200, 1500)
  const ds = a.series(1).datasources[0]!
  t.equal(ds.p50Ms.at(-1), 5)
  t.equal(ds.p99Ms.at(-1), 1000, '99th of 100 is the 700 ms request, in the ≤1000 ms bucket')
})

t.test('a minute older than the window is gone, and its slot is reused clean', async t => {
  const c = clock()
  const a = new ActivityRecorder(c.now)
  a.proxied(1, 'x', 'X', 200, 1)
  a.tokenFailed(1, 'x', 'X')
  a.originRefused('csrf')
  c.advance(WINDOW_MINUTES * MINUTE)
  const s = a.series(1)
  t.same(s.datasources, [], 'a data source idle for the whole window is not listed')
  t.same(s.originRefusals.csrf, new Array(WINDOW_MINUTES).fill(0))
  c.advance(MINUTE)
  a.proxied(1, 'x', 'X', 200, 1)
  t.same(a.series(1).datasources[0]!.requests['2xx'], [...new Array(WINDOW_MINUTES - 1).fill(0), 1], 'the reused slot starts from zero')
})

t.test('each org sees only its own data sources; token failures add up per org', async t => {
  const a = new ActivityRecorder(clock().now)
  a.tokenFailed(1, 'azure', 'Azure')
  a.tokenFailed(1, 'azure', 'Azure')
  a.proxied(2, 'other', 'Other', 200, 1)
  t.same(a.series(1).datasources.map(d => d.uid), ['azure'])
  t.equal(a.series(1).tokenFailures.at(-1), 2)
  t.same(a.series(2).datasources.map(d => d.uid), ['other'])
  t.equal(a.series(2).tokenFailures.at(-1), 0)
})

t.test('Live: the gauge keeps the minute\'s highest sample, publications are counter deltas', async t => {
  const c = clock()
  const a = new ActivityRecorder(c.now)
  a.sampleLive(2, 100) // baseline: what happened before anyone looked is not counted
  a.sampleLive(5, 103)
  a.sampleLive(1, 110)
  const s = a.series(1)
  t.equal(s.live.connections.at(-1), 5)
  t.equal(s.live.connections.at(-2), null, 'a minute never sampled says nothing, not zero')
  t.equal(s.live.publications.at(-1), 10)
})

t.test('memory is bounded: past the limit the data source idle longest is forgotten', async t => {
  const c = clock()
  const a = new ActivityRecorder(c.now, 3)
  a.proxied(1, 'old', 'Old', 200, 1)
  c.advance(MINUTE)
  for (const uid of ['b', 'c', 'd']) a.proxied(1, uid, uid, 200, 1)
  t.same(a.series(1).datasources.map(d => d.uid), ['b', 'c', 'd'])
})

// The refusal ring keeps the last N, newest first; the log throttle lets one line per surface
// and origin through per window.
import t from 'tap'
import { createRefusals } from '../../plugins/origin-policy/refusals.js'

const r = (n: number) => ({ surface: 'cors' as const, origin: `https://o${n}.example`, method: 'GET', path: '/', rule: 'cors-not-listed' as const, mode: 'enforced' as const })

t.test('the ring keeps the last 500, newest first; the totals keep counting', async t => {
  const ring = createRefusals()
  for (let i = 1; i <= 620; i++) ring.record(r(i))
  const list = ring.list()
  t.equal(list.length, 500)
  t.equal(list[0]!.origin, 'https://o620.example')
  t.equal(list[499]!.origin, 'https://o121.example')
  t.same(ring.totals(), [{ surface: 'cors', mode: 'enforced', count: 620 }])
})

t.test('a client-sent origin and path are capped', async t => {
  const ring = createRefusals()
  ring.record({ ...r(1), origin: 'x'.repeat(5000), path: '/'.repeat(5000) })
  t.equal(ring.list()[0]!.origin.length, 256)
  t.equal(ring.list()[0]!.path.length, 256)
})

t.test('one log line per surface and origin per minute', async t => {
  let now = 0
  const ring = createRefusals({ now: () => now })
  t.equal(ring.shouldLog('csrf', 'https://a.example'), true)
  t.equal(ring.shouldLog('csrf', 'https://a.example'), false)
  t.equal(ring.shouldLog('live', 'https://a.example'), true, 'another surface')
  t.equal(ring.shouldLog('csrf', 'https://b.example'), true, 'another origin')
  now = 59_999
  t.equal(ring.shouldLog('csrf', 'https://a.example'), false)
  now = 60_000
  t.equal(ring.shouldLog('csrf', 'https://a.example'), true, 'a minute later')
})

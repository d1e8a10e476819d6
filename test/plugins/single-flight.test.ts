// The cache behind API-key and data-source resolution: one lookup per key however many requests
// wait on it, and nothing read before an invalidation is kept after it.
import t from 'tap'
import { SingleFlightCache } from '../../plugins/cache/single-flight.js'

function deferred<V> (): { promise: Promise<V>, resolve: (v: V) => void } {
  let resolve!: (v: V) => void
  const promise = new Promise<V>(_resolve => { resolve = _resolve })
  return { promise, resolve }
}

t.test('concurrent gets of a missing key share one lookup; the value is then cached', async t => {
  const cache = new SingleFlightCache<string>({ max: 10, ttl: 60_000 })
  let loads = 0
  const gate = deferred<string>()
  const load = async () => { loads++; return await gate.promise }
  const waiting = Array.from({ length: 50 }, () => cache.get('k', load))
  gate.resolve('v')
  t.same(await Promise.all(waiting), Array(50).fill('v'))
  t.equal(await cache.get('k', async () => { loads++; return 'other' }), 'v')
  t.equal(loads, 1)
})

t.test('a lookup under way when the key is invalidated answers its waiters but is not cached', async t => {
  const cache = new SingleFlightCache<string>({ max: 10, ttl: 60_000 })
  const gate = deferred<string>()
  const first = cache.get('k', async () => await gate.promise)
  cache.invalidate('k')
  gate.resolve('stale')
  t.equal(await first, 'stale')
  t.equal(await cache.get('k', async () => 'fresh'), 'fresh')
})

t.test('undefined (not found) is not cached; invalidateWhere drops only what it picks', async t => {
  const cache = new SingleFlightCache<string>({ max: 10, ttl: 60_000 })
  t.equal(await cache.get('gone', async () => undefined), undefined)
  t.equal(await cache.get('gone', async () => 'back'), 'back')
  await cache.get('a', async () => 'drop-me')
  await cache.get('b', async () => 'keep-me')
  cache.invalidateWhere(v => v === 'drop-me')
  t.equal(await cache.get('a', async () => 'reloaded'), 'reloaded')
  t.equal(await cache.get('b', async () => 'reloaded'), 'keep-me')
})

t.test('a failed lookup is not cached and the next get tries again', async t => {
  const cache = new SingleFlightCache<string>({ max: 10, ttl: 60_000 })
  await t.rejects(cache.get('k', async () => { throw new Error('db down') }), { message: 'db down' })
  t.equal(await cache.get('k', async () => 'v'), 'v')
})

// An LRU cache in front of a slow lookup, filled single-flight: when an entry is missing or has
// expired under load, one lookup serves every request waiting on that key. invalidate() (a row
// changed or went) also stops lookups already under way from caching what they read before it.
import { LRUCache } from 'lru-cache'

export class SingleFlightCache<V extends {}> {
  private readonly cache: LRUCache<string, V>
  private readonly inflight = new Map<string, Promise<V | undefined>>()
  private generation = 0

  constructor (options: { max: number, ttl: number }) {
    this.cache = new LRUCache<string, V>(options)
  }

  /** The cached value, or load()'s; an undefined result is returned but not cached. */
  async get (key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.cache.get(key)
    if (hit !== undefined) return hit
    let pending = this.inflight.get(key)
    if (pending === undefined) {
      const generation = this.generation
      const started: Promise<V | undefined> = load().then(value => {
        if (value !== undefined && generation === this.generation) this.cache.set(key, value)
        return value
      }).finally(() => { if (this.inflight.get(key) === started) this.inflight.delete(key) })
      pending = started
      this.inflight.set(key, pending)
    }
    return await pending
  }

  /** Drops these keys (none: nothing cached is dropped) and discards every lookup under way. */
  invalidate (...keys: string[]): void {
    for (const key of keys) this.cache.delete(key)
    this.generation++
    this.inflight.clear()
  }

  /** Drops the cached entries the predicate picks, and discards every lookup under way. */
  invalidateWhere (pick: (value: V) => boolean): void {
    for (const [key, value] of this.cache.entries()) if (pick(value)) this.cache.delete(key)
    this.invalidate()
  }
}

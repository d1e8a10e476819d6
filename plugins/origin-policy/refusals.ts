// Who the origin rules refused, or would refuse in report-only mode: a bounded ring of the last
// refusals (the origin-refusals API, the origin doctor, the activity page), running totals per
// surface and mode (the /metrics counter), and the once-per-origin-per-minute throttle of the
// "would be refused" log line, so a busy page cannot flood the log.
import type { OriginRule } from './rules.js'

export type OriginSurface = 'cors' | 'csrf' | 'live'
/** enforced: the request was refused; reported: a report-only rule let it through. */
export type RefusalMode = 'enforced' | 'reported'

export interface OriginRefusal {
  /** ISO 8601. */
  time: string
  surface: OriginSurface
  origin: string
  method: string
  /** Without the query string (it may hold tokens). */
  path: string
  rule: OriginRule
  mode: RefusalMode
}

export interface OriginRefusals {
  record: (refusal: Omit<OriginRefusal, 'time'>) => void
  /** Newest first. */
  list: () => OriginRefusal[]
  /** Refusals since start, by surface and mode (never reset; the ring forgets, these do not). */
  totals: () => Array<{ surface: OriginSurface, mode: RefusalMode, count: number }>
  /** true the first time in `windowMs` for this surface and origin: the caller logs then. */
  shouldLog: (surface: OriginSurface, origin: string) => boolean
}

export function createRefusals (opts: { size?: number, windowMs?: number, now?: () => number } = {}): OriginRefusals {
  const size = opts.size ?? 500
  const windowMs = opts.windowMs ?? 60_000
  const now = opts.now ?? Date.now
  const ring: OriginRefusal[] = []
  let next = 0
  const counts = new Map<string, number>()
  const lastLogged = new Map<string, number>()

  return {
    record (r) {
      // Origin and path are whatever the client sent: capped, so the ring's memory stays bounded.
      const entry = { time: new Date(now()).toISOString(), ...r, origin: r.origin.slice(0, 256), path: r.path.slice(0, 256) }
      if (ring.length < size) ring.push(entry)
      else ring[next] = entry
      next = (next + 1) % size
      const key = `${r.surface} ${r.mode}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    },
    list () {
      // The ring in order oldest..newest starts at `next` once it has wrapped.
      const ordered = ring.length < size ? ring : [...ring.slice(next), ...ring.slice(0, next)]
      return ordered.slice().reverse()
    },
    totals () {
      return [...counts].map(([key, count]) => {
        const [surface, mode] = key.split(' ') as [OriginSurface, RefusalMode]
        return { surface, mode, count }
      })
    },
    shouldLog (surface, origin) {
      const t = now()
      const key = `${surface} ${origin}`
      const last = lastLogged.get(key)
      if (last !== undefined && t - last < windowMs) return false
      // Forget stale entries now and then, so a stream of distinct origins cannot grow the map forever.
      if (lastLogged.size >= 10_000) for (const [k, v] of lastLogged) if (t - v >= windowMs) lastLogged.delete(k)
      if (lastLogged.size >= 10_000) return false
      lastLogged.set(key, t)
      return true
    }
  }
}

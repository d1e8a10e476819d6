// What the activity page draws, kept per minute for the last 15 minutes in bounded memory:
// proxied requests per data source by status class with a latency histogram, token-endpoint
// failures, Live connections (a gauge sampled) and publications, origin refusals per surface.
// Recording is a few array increments; all the arithmetic happens when someone looks.
import { LATENCY_BOUNDS_MS, MinuteRing, latencyBucket, minuteOf, quantile, windowMinutes } from './minutes.js'

export type Surface = 'cors' | 'csrf' | 'live'
export const SURFACES: readonly Surface[] = ['cors', 'csrf', 'live']
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const

// A data source's ring: status classes, then the latency histogram, then max latency and token failures.
const HIST = STATUS_CLASSES.length
const MAX_MS = HIST + LATENCY_BOUNDS_MS.length + 1
const TOKEN_FAILURES = MAX_MS + 1
const SOURCE_WIDTH = TOKEN_FAILURES + 1

// The instance's ring: Live gauge and whether it was sampled, publications, refusals per surface.
const LIVE_CONNECTIONS = 0
const LIVE_SAMPLED = 1
const PUBLICATIONS = 2
const REFUSALS = 3
const GLOBAL_WIDTH = REFUSALS + SURFACES.length

const round = (ms: number | undefined) => ms === undefined ? null : Math.round(ms * 10) / 10

interface Source { orgId: number, uid: string, name: string, ring: MinuteRing }

export interface DataSourceSeries {
  uid: string
  name: string
  requests: Record<typeof STATUS_CLASSES[number], number[]>
  p50Ms: Array<number | null>
  p99Ms: Array<number | null>
  tokenFailures: number[]
}

export interface ActivitySeries {
  /** Start of each minute, Unix seconds, oldest first; the last is the current (partial) minute. */
  minutes: number[]
  datasources: DataSourceSeries[]
  tokenFailures: number[]
  live: { connections: Array<number | null>, publications: number[] }
  originRefusals: Record<Surface, number[]>
}

export class ActivityRecorder {
  private readonly sources = new Map<string, Source>()
  private readonly instance = new MinuteRing(GLOBAL_WIDTH)
  private lastPublished: number | undefined

  /** maxSources bounds memory: past it, the data source idle longest is forgotten. */
  constructor (private readonly now: () => number = Date.now, private readonly maxSources = 500) {}

  private source (orgId: number, uid: string, name: string): Source {
    const key = `${orgId}/${uid}`
    let s = this.sources.get(key)
    if (s === undefined) {
      if (this.sources.size >= this.maxSources) this.evictIdlest()
      s = { orgId, uid, name, ring: new MinuteRing(SOURCE_WIDTH) }
      this.sources.set(key, s)
    }
    s.name = name
    return s
  }

  private evictIdlest (): void {
    let idlest: string | undefined
    let oldest = Infinity
    for (const [key, s] of this.sources) {
      const last = s.ring.lastMinute()
      if (last < oldest) { oldest = last; idlest = key }
    }
    if (idlest !== undefined) this.sources.delete(idlest)
  }

  /** One proxied request, answered with `status` after `ms` (a request that got no answer: 502). */
  proxied (orgId: number, uid: string, name: string, status: number, ms: number): void {
    const minute = minuteOf(this.now())
    const ring = this.source(orgId, uid, name).ring
    ring.add(minute, Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1)
    ring.add(minute, HIST + latencyBucket(ms))
    ring.max(minute, MAX_MS, ms)
  }

  tokenFailed (orgId: number, uid: string, name: string): void {
    this.source(orgId, uid, name).ring.add(minuteOf(this.now()), TOKEN_FAILURES)
  }

  originRefused (surface: Surface): void {
    this.instance.add(minuteOf(this.now()), REFUSALS + SURFACES.indexOf(surface))
  }

  /** Live's open connections now and its publication count since start (a counter it keeps). */
  sampleLive (connections: number, publishedTotal: number): void {
    const minute = minuteOf(this.now())
    this.instance.max(minute, LIVE_CONNECTIONS, connections)
    this.instance.max(minute, LIVE_SAMPLED, 1)
    // The first sample only sets the baseline: publications before it happened before anyone looked.
    if (this.lastPublished !== undefined && publishedTotal > this.lastPublished) this.instance.add(minute, PUBLICATIONS, publishedTotal - this.lastPublished)
    this.lastPublished = publishedTotal
  }

  /** The window for one org's data sources, plus the instance-wide Live and refusal series. */
  series (orgId: number): ActivitySeries {
    const minutes = windowMinutes(this.now())
    const datasources: DataSourceSeries[] = []
    const tokenFailures = minutes.map(() => 0)
    for (const s of this.sources.values()) {
      if (s.orgId !== orgId || s.ring.lastMinute() < minutes[0]!) continue
      const cells = minutes.map(m => s.ring.read(m))
      const requests = Object.fromEntries(STATUS_CLASSES.map((c, i) => [c, cells.map(x => x?.[i] ?? 0)])) as DataSourceSeries['requests']
      // Tenths of a millisecond are precision enough for a picture.
      const q = (p: number) => cells.map(x => x === undefined ? null : round(quantile(x.subarray(HIST, MAX_MS), p, x[MAX_MS]!)))
      const failures = cells.map(x => x?.[TOKEN_FAILURES] ?? 0)
      failures.forEach((n, i) => { tokenFailures[i]! += n })
      datasources.push({ uid: s.uid, name: s.name, requests, p50Ms: q(0.5), p99Ms: q(0.99), tokenFailures: failures })
    }
    datasources.sort((a, b) => a.name.localeCompare(b.name))
    const inst = minutes.map(m => this.instance.read(m))
    return {
      minutes: minutes.map(m => m * 60),
      datasources,
      tokenFailures,
      live: {
        connections: inst.map(x => x !== undefined && x[LIVE_SAMPLED] === 1 ? x[LIVE_CONNECTIONS]! : null),
        publications: inst.map(x => x?.[PUBLICATIONS] ?? 0)
      },
      originRefusals: Object.fromEntries(SURFACES.map((s, i) => [s, inst.map(x => x?.[REFUSALS + i] ?? 0)])) as Record<Surface, number[]>
    }
  }
}

// Managed streams (`stream/<streamId>/<measurement>`): the last frame per channel, replayed as
// subscribe data and listed by /api/live/list, and whether a push changed the schema (then the
// publication carries the full frame, else data only), as Grafana's managedstream runner does.
import { LRUCache } from 'lru-cache'
import { dataOnlyJson, fullFrameJson, type Frame } from './frames.js'

export interface ManagedChannel {
  channel: string
  minute_rate: number
  /** The last full frame. */
  data: unknown
}

interface Entry {
  schemaJson: string
  dataJson: string
  /** Push counts per second over the last minute (ring of 60). */
  seconds: Uint16Array
  lastSecond: number
}

export class ManagedStreams {
  private readonly frames: LRUCache<string, Entry>

  constructor (maxChannels = 10_000) {
    this.frames = new LRUCache({ max: maxChannels })
  }

  /** Stores the frame for `<orgId>/stream/…` and returns the publication's data JSON. */
  update (wire: string, frame: Frame, now = Date.now()): string {
    const prev = this.frames.get(wire)
    const second = Math.floor(now / 1000)
    if (prev === undefined) {
      const e: Entry = { schemaJson: frame.schemaJson, dataJson: frame.dataJson, seconds: new Uint16Array(60), lastSecond: second }
      e.seconds[second % 60] = 1
      this.frames.set(wire, e)
      return fullFrameJson(frame)
    }
    tick(prev, second)
    prev.seconds[second % 60] = Math.min(65535, prev.seconds[second % 60]! + 1)
    const changed = prev.schemaJson !== frame.schemaJson
    prev.schemaJson = frame.schemaJson
    prev.dataJson = frame.dataJson
    return changed ? fullFrameJson(frame) : dataOnlyJson(frame)
  }

  /** The last full frame of a channel, as JSON. */
  last (wire: string): string | undefined {
    const e = this.frames.get(wire)
    return e === undefined ? undefined : fullFrameJson(e)
  }

  /** The org's channels, without the org prefix, sorted. */
  list (orgId: number, now = Date.now()): ManagedChannel[] {
    const prefix = `${orgId}/`
    const second = Math.floor(now / 1000)
    const out: ManagedChannel[] = []
    for (const [wire, e] of this.frames.entries()) {
      if (!wire.startsWith(prefix)) continue
      tick(e, second)
      out.push({ channel: wire.slice(prefix.length), minute_rate: e.seconds.reduce((a, b) => a + b, 0), data: JSON.parse(fullFrameJson(e)) })
    }
    return out.sort((a, b) => a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0)
  }
}

/** Zeroes the seconds that passed since the entry was last touched. */
function tick (e: Entry, second: number): void {
  const gap = second - e.lastSecond
  if (gap <= 0) return
  for (let s = 1; s <= Math.min(gap, 60); s++) e.seconds[(e.lastSecond + s) % 60] = 0
  e.lastSecond = second
}

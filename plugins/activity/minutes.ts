// Per-minute rings for the last 15 minutes, in fixed memory: each ring has one slot per minute,
// reused when its minute comes round again. Plain data, no Fastify; the clock is passed in.

export const WINDOW_MINUTES = 15
// One slot more than the window, so the oldest minute shown is never the one being overwritten.
const SLOTS = WINDOW_MINUTES + 1

export const minuteOf = (nowMs: number): number => Math.floor(nowMs / 60_000)

/** The minutes the window shows, oldest first, ending with the current one. */
export function windowMinutes (nowMs: number): number[] {
  const last = minuteOf(nowMs)
  return Array.from({ length: WINDOW_MINUTES }, (_, i) => last - WINDOW_MINUTES + 1 + i)
}

/** A ring of `width` numbers per minute (counts, a histogram…). */
export class MinuteRing {
  private readonly stamps = new Array<number>(SLOTS).fill(-1)
  private readonly cells: Float64Array

  constructor (readonly width: number) {
    this.cells = new Float64Array(SLOTS * width)
  }

  /** The current minute's cells (cleared when the slot last held an older minute), at offset. */
  private slot (minute: number): number {
    const i = minute % SLOTS
    if (this.stamps[i] !== minute) {
      this.stamps[i] = minute
      this.cells.fill(0, i * this.width, (i + 1) * this.width)
    }
    return i * this.width
  }

  add (minute: number, index: number, amount = 1): void {
    this.cells[this.slot(minute) + index]! += amount
  }

  max (minute: number, index: number, value: number): void {
    const at = this.slot(minute) + index
    if (value > this.cells[at]!) this.cells[at] = value
  }

  /** The cells of a minute, or undefined when nothing was recorded in it. */
  read (minute: number): Float64Array | undefined {
    const i = minute % SLOTS
    if (this.stamps[i] !== minute) return undefined
    return this.cells.subarray(i * this.width, (i + 1) * this.width)
  }

  /** The newest minute that holds data (-1: none): lets idle rings be dropped. */
  lastMinute (): number {
    return Math.max(...this.stamps)
  }
}

/** Latency histogram bounds in ms: a few array increments per request, percentiles to a bucket. */
export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000]

export function latencyBucket (ms: number): number {
  let i = 0
  while (i < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[i]!) i++
  return i
}

/**
 * The q-quantile (0..1) of a histogram: the upper bound of the bucket holding that rank, never more
 * than the slowest request seen (so one 3 ms request reads 3, not 5). undefined when empty.
 */
export function quantile (histogram: ArrayLike<number>, q: number, maxMs: number): number | undefined {
  let total = 0
  for (let i = 0; i < histogram.length; i++) total += histogram[i]!
  if (total === 0) return undefined
  const rank = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!
    if (seen >= rank) return Math.min(LATENCY_BOUNDS_MS[i] ?? maxMs, maxMs)
  }
  return maxMs
}

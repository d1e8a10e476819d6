// Every open Live socket on this instance: the connected count that [live] max_connections
// limits, and one sweeper for all of them (ping every interval, no pong in time → 3012, no connect
// command in time → 3502) instead of timers per socket.

export interface Tracked {
  /** Called by the sweeper; returns nothing, acts on its own socket. */
  tick (now: number): void
}

export interface Timings {
  /** Server ping interval (Centrifuge: 25 s). */
  pingIntervalMs: number
  /** How long a pong may take (Centrifuge: 10 s). */
  pongTimeoutMs: number
  /** How long an open socket may wait before its connect command. */
  connectTimeoutMs: number
}

export const DEFAULT_TIMINGS: Timings = { pingIntervalMs: 25_000, pongTimeoutMs: 10_000, connectTimeoutMs: 10_000 }

export class Connections<T extends Tracked> {
  private readonly open = new Set<T>()
  private connectedCount = 0
  private timer: NodeJS.Timeout | undefined

  constructor (readonly timings: Timings, private readonly maxConnections: number) {}

  add (c: T): void {
    this.open.add(c)
    if (this.timer === undefined) {
      const shortest = Math.min(this.timings.pingIntervalMs, this.timings.pongTimeoutMs, this.timings.connectTimeoutMs)
      const every = Math.max(5, Math.min(1000, Math.floor(shortest / 4)))
      this.timer = setInterval(() => { this.sweep(Date.now()) }, every)
      this.timer.unref()
    }
  }

  /** Counts a connect; true when this connection is past [live] max_connections (-1: unlimited). */
  connected (): boolean {
    this.connectedCount++
    return this.maxConnections >= 0 && this.connectedCount > this.maxConnections
  }

  remove (c: T, wasConnected: boolean): void {
    if (!this.open.delete(c)) return
    if (wasConnected) this.connectedCount--
    if (this.open.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }

  get limit (): number { return this.maxConnections }

  /** Connections past the handshake (the activity page samples it). */
  get count (): number { return this.connectedCount }

  all (): Iterable<T> { return this.open }

  /** First ping of a connection: randomised between half and one interval, as Centrifuge does. */
  firstPingAt (now: number): number {
    const p = this.timings.pingIntervalMs
    return now + p / 2 + Math.floor(Math.random() * (p / 2))
  }

  sweep (now: number): void {
    for (const c of this.open) c.tick(now)
  }

  stop (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }
}

// A PostgreSQL outage, seen once: connection-level failures are told apart from query errors in
// this one place, answered 503 "Database unavailable" (not a 500 with a stack per request), logged
// once when the outage starts and once when a background ping finds the database back.
import type { FastifyBaseLogger } from 'fastify'

// SQLSTATE class 08 (connection exception), and the server going away or not accepting connections.
const SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '08P01', '57P01', '57P02', '57P03', '53300'])
const ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// node-pg says these in words only: the pool's connect timeout and a connection that died mid-use.
const MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Connection ended unexpectedly)/

/** Whether `err` says the database cannot be reached (rather than that a statement failed). */
export function isConnectionError (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown, message?: unknown, errors?: unknown[] }
  if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || ERRNOS.has(e.code))) return true
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true
  // Node's happy-eyeballs connect reports every address it tried.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isConnectionError)
}

/** Seconds a client is told to wait before retrying during an outage. */
export const RETRY_AFTER_SECONDS = 5

function reason (err: unknown): string {
  const e = err as { code?: unknown, message?: unknown }
  return typeof e.code === 'string' && e.code !== '' ? e.code : String(e.message ?? err)
}

export class OutageMonitor {
  private since: number | undefined
  private timer: NodeJS.Timeout | undefined
  private checking = false

  constructor (private readonly log: FastifyBaseLogger, private readonly ping: () => Promise<boolean>, private readonly retryMs = 1_000) {}

  get down (): boolean { return this.since !== undefined }

  /** A connection-level failure: the first one of an outage is logged, the rest are not. */
  failed (err: unknown): void {
    if (this.since !== undefined) return
    this.since = Date.now()
    this.log.error({ reason: reason(err) }, 'database unreachable: answering 503 Database unavailable, retrying')
    // eslint-disable-next-line no-void -- fire and forget: the interval does not wait for a check
    this.timer = setInterval(() => { void this.check() }, this.retryMs)
    this.timer.unref()
  }

  private async check (): Promise<void> {
    if (this.checking || this.since === undefined) return
    this.checking = true
    try {
      if (await this.ping()) this.recovered()
    } finally {
      this.checking = false
    }
  }

  private recovered (): void {
    if (this.since === undefined) return
    this.log.info({ down_ms: Date.now() - this.since }, 'database reachable again')
    this.since = undefined
    this.stop()
  }

  stop (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }
}

// What a websocket error on a Live connection is worth in the log. A client's protocol mistake (a
// frame over [live] message_size_limit, bad UTF-8, a bad opcode, a reset) is the client's, not
// the server's: one info line without a stack, at most LIMIT per window, so no client can fill the
// log. Anything else is a server fault and stays an error with its stack.
import type { FastifyBaseLogger } from 'fastify'

const LIMIT = 10
const WINDOW_MS = 60_000

export function isClientMistake (err: NodeJS.ErrnoException): boolean {
  return err.code?.startsWith('WS_ERR_') === true || err.code === 'ECONNRESET' || err.code === 'EPIPE'
}

export function socketErrorLogger (log: FastifyBaseLogger, now = Date.now) {
  let windowStart = 0
  let written = 0
  let suppressed = 0
  return (err: NodeJS.ErrnoException, remote: string): void => {
    if (!isClientMistake(err)) {
      log.error({ err }, 'Live connection failed')
      return
    }
    const t = now()
    if (t - windowStart >= WINDOW_MS) {
      if (suppressed > 0) log.info({ suppressed }, 'Live client errors not logged in the last minute')
      windowStart = t
      written = 0
      suppressed = 0
    }
    if (written >= LIMIT) { suppressed++; return }
    written++
    log.info({ code: err.code, reason: err.message, remote }, 'Live client error, connection closed')
  }
}

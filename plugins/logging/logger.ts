// The root pino logger. Concerns log through children named like Grafana's (logger=context, logger=live…).
import pino, { type Logger } from 'pino'
import type { Config } from '../../config/settings.js'
import { logfmtStream } from './logfmt.js'

export type LogSink = { write: (s: string) => unknown }

// Defence in depth: nothing should log these, and if something does they are censored.
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-ds-authorization"]',
  'headers.authorization', 'headers.cookie', 'password', 'token', 'key', 'secret', '*.password', '*.token', '*.secret'
]

export function createLogger (config: Pick<Config, 'log'>, sink?: LogSink): Logger {
  const target = sink ?? pino.destination({ dest: 1, sync: false })
  const stream = config.log.format === 'json' ? target : logfmtStream(target)
  return pino({
    level: config.log.level === 'critical' ? 'fatal' : config.log.level,
    base: null,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.epochTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: config.log.format === 'json'
      ? { level: (label) => ({ level: label }) }
      : {}
  }, stream as pino.DestinationStream)
}

// The root error and not-found handlers: every error is JSON {"message": …}; 5xx never exposes internals.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import { RETRY_AFTER_SECONDS } from './db/outage.js'
import { ERR_BAD_URL, ERR_BODY_TOO_LARGE, ERR_DSP_BAD_PATH, ERR_URL_TOO_LONG, ERROR_STATUSES, MESSAGE_IDS } from './errors/codes.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Prefix of 400 messages for schema failures (Grafana: "bad request data", "bad login data"). */
    badRequestMessage?: string
  }
}

function validationMessage (err: FastifyError, prefix: string): string {
  const first = err.validation?.[0]
  if (first === undefined) return prefix
  const part = err.validationContext ?? 'body'
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const missing = (first.params as { missingProperty?: string }).missingProperty
  const extra = (first.params as { additionalProperty?: string }).additionalProperty
  const field = missing ?? extra ?? path
  const where = field === '' ? part : `${part === 'body' ? '' : part + '.'}${path !== '' && missing !== undefined ? path + '.' : ''}${field}`
  const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues
  const reason = missing !== undefined
    ? 'is required'
    : extra !== undefined ? 'is not allowed' : allowed !== undefined ? `must be one of ${allowed.join(', ')}` : first.message ?? 'is invalid'
  return `${prefix}: ${where} ${reason}`
}

export function errorBody (err: FastifyError, statusCode: number): Record<string, unknown> {
  const status = ERROR_STATUSES[err.code]
  if (status !== undefined) return { message: err.message, status }
  const messageId = MESSAGE_IDS[err.code]
  return messageId === undefined ? { message: err.message } : { message: err.message, messageId, statusCode }
}

/** Replies answered "Database unavailable": their request lines are not errors to log one by one. */
export const databaseUnavailable = new WeakSet<FastifyReply>()

// SQLSTATEs: numeric value out of range, string too long, NUL / untranslatable character,
// invalid datetime format, datetime field overflow.
const DATA_EXCEPTIONS = new Set(['22003', '22001', '22021', '22P05', '22007', '22008'])

async function errorsPlugin (app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation !== undefined) {
      return reply.code(400).send({ message: validationMessage(err, request.routeOptions.config?.badRequestMessage ?? 'bad request data') })
    }
    // A value the database cannot hold (a NUL character, a number past its column's range, text
    // longer than its column) is the client's input, not a server fault: PostgreSQL's data
    // exceptions become a 400, for every route, and the failed statement changed nothing.
    if (err.statusCode === undefined && DATA_EXCEPTIONS.has(err.code)) {
      return reply.code(400).send({
        message: `${request.routeOptions.config?.badRequestMessage ?? 'bad request data'}: a value is out of range or holds a character that cannot be stored`
      })
    }
    // PostgreSQL unreachable: a 503 the client may retry, logged once per outage by the db plugin.
    if (err.statusCode === undefined && app.hasDecorator('database') && app.database.unavailable(err)) {
      databaseUnavailable.add(reply)
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ message: 'Database unavailable' })
    }
    const status = err.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err }, 'request failed')
      return reply.code(status).send({ message: 'Internal server error' })
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send({ message: new ERR_BODY_TOO_LARGE(app.config.server.maxBodyBytes).message })
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send({ message: `${request.routeOptions.config?.badRequestMessage ?? 'bad request data'}: body is not valid JSON` })
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({ message: 'Unsupported Content-Type: send application/json' })
    }
    return reply.code(status).send(errorBody(err, status))
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ message: 'Not found' })
  })
}

const PROXY_PATH = /\/api\/+datasources\/+proxy\//

/**
 * Fastify's `frameworkErrors` option (set in app.ts): what the router refuses before any route or
 * hook runs — a path it cannot percent-decode, an over-long parameter — answered in the same
 * {"message"} shape as everything else, never echoing the path.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let e: FastifyError
  if (err.code === 'FST_ERR_BAD_URL') {
    // Under the proxy, the same words as the proxy's own path check.
    e = PROXY_PATH.test(request.url) ? new ERR_DSP_BAD_PATH('malformed percent-encoding') : new ERR_BAD_URL()
  } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    e = new ERR_URL_TOO_LONG()
  } else {
    request.log.error({ err }, 'request failed')
    reply.code(500).send({ message: 'Internal server error' })
    return
  }
  reply.code(e.statusCode!).send({ message: e.message })
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'Request timeout'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'Request header fields too large']
}

/**
 * Fastify's `clientErrorHandler` option (set in app.ts): a request Node's parser rejects (bad
 * request line or header bytes) gets a JSON {"message"} before the connection is closed.
 */
export function clientErrorHandler (err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'Bad request: malformed HTTP request']
  const body = JSON.stringify({ message })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['config'] })

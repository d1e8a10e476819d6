// Sends a prepared request upstream with undici and streams the answer straight into the client
// socket: no buffering either way. Errors before the answer starts become JSON (502, 504); an
// upstream 401 becomes Grafana's 400 so the browser never sees a data source's login challenge.
import { Writable } from 'node:stream'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import { responseHeaders } from './headers.js'
import type { PreparedRequest } from './prepare.js'

export type ForwardOutcome = { status: number } | { error: 'timeout' | 'unreachable' | 'aborted' | 'broken', code: string }

const discard = () => new Writable({ write (_chunk, _enc, cb) { cb() } })

export function sendJson (res: ServerResponse, status: number, body: unknown, own: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...own, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

const hasBody = (req: IncomingMessage) => req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined

export async function forward (dispatcher: Dispatcher, prepared: PreparedRequest, req: IncomingMessage, res: ServerResponse,
  own: OutgoingHttpHeaders, timeoutMs: number): Promise<ForwardOutcome> {
  const abort = new AbortController()
  const onClose = () => { if (!res.writableFinished) abort.abort() }
  res.on('close', onClose)
  let status = 0
  try {
    await dispatcher.stream({
      origin: prepared.origin,
      path: prepared.path,
      method: req.method as Dispatcher.HttpMethod,
      headers: prepared.headers,
      body: prepared.body ?? (hasBody(req) ? req : null),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: abort.signal
    }, ({ statusCode, headers }) => {
      status = statusCode
      if (statusCode === 401) {
        sendJson(res, 400, { message: 'Authentication to data source failed' }, own)
        return discard()
      }
      res.writeHead(statusCode, responseHeaders(headers as Record<string, string | string[] | undefined>, own))
      return res
    })
    return { status }
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name ?? 'unknown'
    if (abort.signal.aborted) return { error: 'aborted', code }
    if (res.headersSent) {
      // The answer had started: all that can be said is that it is cut short.
      res.destroy()
      return { error: 'broken', code }
    }
    const timeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
    if (timeout) sendJson(res, 504, { message: `Data source did not answer within ${timeoutMs / 1000}s` }, own)
    else sendJson(res, 502, { message: 'Data source could not be reached' }, own)
    return { error: timeout ? 'timeout' : 'unreachable', code }
  } finally {
    res.off('close', onClose)
  }
}

// Sends a prepared request upstream with undici and streams the answer straight into the client
// socket: no buffering either way. Errors before the answer starts become JSON (502, 504); an
// upstream 401 becomes Grafana's 400 so the browser never sees a data source's login challenge.
// A dispatch handler of its own instead of undici's stream(): no AbortController, no stream
// plumbing per request (this is the hot path); back-pressure by pausing the upstream socket
// while the client's is full.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { errors, type Dispatcher } from 'undici'
import { responseHeaders } from './headers.js'
import type { PreparedRequest } from './prepare.js'

export type ForwardOutcome = { status: number } | { error: 'timeout' | 'unreachable' | 'aborted' | 'broken' | 'too-large', code: string }

/** A streamed (chunked) body went past [server] max_body_bytes after forwarding began. */
class BodyTooLarge extends Error {
  readonly code = 'GH_ERR_BODY_TOO_LARGE'
  constructor (readonly limit: number) { super('request body too large') }
}

/**
 * The caller's body, cut at `limit` bytes: the error makes undici abort the upstream request (its
 * socket is destroyed mid-body, so the data source never sees a complete request). The rest of
 * the caller's body is read and dropped, so the caller can finish sending and read the 413; a
 * caller that never stops is ended by [server] read_timeout like any slow upload.
 */
function capped (req: IncomingMessage, limit: number): Readable {
  let seen = 0
  const out = new Readable({ read () { req.resume() } })
  const onData = (chunk: Buffer): void => {
    seen += chunk.length
    if (seen > limit) {
      req.off('data', onData)
      req.resume()
      out.destroy(new BodyTooLarge(limit))
    } else if (!out.push(chunk)) req.pause()
  }
  req.on('data', onData)
  req.once('end', () => out.push(null))
  req.once('error', err => out.destroy(err))
  return out
}

export function sendJson (res: ServerResponse, status: number, body: unknown, own: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...own, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

const hasBody = (req: IncomingMessage) =>
  req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

class ProxyHandler implements Dispatcher.DispatchHandlers {
  private abort: ((err?: Error) => void) | undefined
  private clientGone = false
  private status = 0
  /** The upstream's answer is being discarded (a 401 already answered as a 400). */
  private discard = false
  private resume: (() => void) | undefined
  private readonly onClose = (): void => {
    if (this.res.writableFinished) return
    this.clientGone = true
    this.abort?.(new errors.RequestAbortedError())
  }

  private readonly onDrain = (): void => { this.resume?.() }

  constructor (private readonly res: ServerResponse, private readonly own: OutgoingHttpHeaders, private readonly timeoutMs: number,
    private readonly done: (outcome: ForwardOutcome) => void) {
    res.on('close', this.onClose)
  }

  onConnect (abort: (err?: Error) => void): void {
    this.abort = abort
    if (this.clientGone) abort(new errors.RequestAbortedError())
  }

  onError (err: Error): void {
    this.finish()
    const code = (err as { code?: string }).code ?? err.name ?? 'unknown'
    const res = this.res
    if (this.clientGone) return this.done({ error: 'aborted', code })
    if (res.headersSent) {
      // The answer had started: all that can be said is that it is cut short.
      if (!res.writableEnded) res.destroy()
      return this.done({ error: 'broken', code })
    }
    if (err instanceof BodyTooLarge) {
      sendJson(res, 413, { message: `Request body is too large (limit ${err.limit} bytes)` }, this.own)
      return this.done({ error: 'too-large', code })
    }
    const timeout = TIMEOUTS.has(code)
    if (timeout) sendJson(res, 504, { message: `Data source did not answer within ${this.timeoutMs / 1000}s` }, this.own)
    else sendJson(res, 502, { message: 'Data source could not be reached' }, this.own)
    this.done({ error: timeout ? 'timeout' : 'unreachable', code })
  }

  onUpgrade (): void {
    throw new Error('upgrade is not proxied')
  }

  onHeaders (statusCode: number, rawHeaders: Buffer[] | string[] | null, resume: () => void): boolean {
    if (statusCode < 200) return true // 1xx: informational, the real answer follows
    this.status = statusCode
    if (statusCode === 401) {
      sendJson(this.res, 400, { message: 'Authentication to data source failed' }, this.own)
      this.discard = true
      return true
    }
    this.resume = resume
    this.res.writeHead(statusCode, responseHeaders(rawHeaders ?? [], this.own))
    return true
  }

  onData (chunk: Buffer): boolean {
    if (this.discard) return true
    if (this.res.write(chunk)) return true
    this.res.once('drain', this.onDrain)
    return false
  }

  onComplete (): void {
    this.finish()
    if (!this.discard) this.res.end()
    this.done({ status: this.status })
  }

  private finish (): void {
    this.res.off('close', this.onClose)
    this.res.off('drain', this.onDrain)
  }
}

export function forward (dispatcher: Dispatcher, prepared: PreparedRequest, req: IncomingMessage, res: ServerResponse,
  own: OutgoingHttpHeaders, timeoutMs: number, maxBodyBytes: number): Promise<ForwardOutcome> {
  return new Promise(resolve => {
    const handler = new ProxyHandler(res, own, timeoutMs, resolve)
    try {
      dispatcher.dispatch({
        origin: prepared.origin,
        path: prepared.path,
        method: req.method as Dispatcher.HttpMethod,
        headers: prepared.headers,
        // A declared Content-Length over the limit was refused before this point; only a chunked body can still grow past it.
        body: prepared.body ?? (!hasBody(req) ? null : req.headers['content-length'] !== undefined ? req : capped(req, maxBodyBytes)),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs
      }, handler)
    } catch (err) {
      handler.onError(err as Error)
    }
  })
}

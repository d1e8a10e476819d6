// What the HTTP layer itself answers before any route: JSON bodies (an empty one is no body, as in
// Grafana) and methods Node's server never hands to Fastify (CONNECT).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

const CONNECT_BODY = JSON.stringify({ message: 'Method not allowed' })

/**
 * Node emits CONNECT as a 'connect' event and, with no listener, destroys the socket without a
 * word. Gatehouse is no forward proxy: CONNECT gets the same 405 JSON as any unknown method.
 */
function refuseConnect (_req: IncomingMessage, socket: Duplex): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Length: ${Buffer.byteLength(CONNECT_BODY)}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${CONNECT_BODY}`, () => socket.destroy())
  } else {
    socket.destroy()
  }
}

async function httpServerPlugin (app: FastifyInstance): Promise<void> {
  // Grafana binds JSON with a decoder that reads an empty (or blank) body as "no body", whatever
  // the method and Content-Type: `DELETE … -H 'Content-Type: application/json'` with no data is
  // how its docs (and seed 003) send deletes. A non-empty malformed body stays a 400.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    if (text.trim() === '') { done(null, undefined); return }
    parseJson(request, text, done)
  })

  app.server.on('connect', refuseConnect)
}

export default fp(httpServerPlugin, { name: 'http-server' })

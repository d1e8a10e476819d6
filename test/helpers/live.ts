// Live test helpers: a listening app, the real centrifuge client over `ws` with request headers
// (cookie, Authorization, Origin), and raw protocol sockets.
import { once } from 'node:events'
import { Centrifuge, type EventMap, type Subscription, type TypedEventEmitter } from 'centrifuge'
import WebSocket from 'ws'
import type { FastifyInstance } from 'fastify'
import { ADMIN } from './build.js'

export async function listen (app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return address.replace(/^http/, 'ws') + '/api/live/ws'
}

/** A WebSocket class for centrifuge-js that sends these headers on the upgrade request. */
export function socketWith (headers: Record<string, string>) {
  return class extends WebSocket {
    constructor (url: string, protocols?: string | string[]) {
      super(url, protocols ?? [], { headers })
    }
  }
}

/** The arguments of the next `event` of a centrifuge client or subscription (node's once() wants a node EventEmitter). */
export function nextEvent<Events extends EventMap, E extends keyof Events> (emitter: TypedEventEmitter<Events>, event: E): Promise<Parameters<Events[E]>> {
  return new Promise(resolve => { emitter.once(event, ((...args: Parameters<Events[E]>) => { resolve(args) }) as Events[E]) })
}

export interface Clients {
  /** A connected centrifuge client; disconnected on teardown. */
  connect: (url: string, headers: Record<string, string>) => Promise<Centrifuge>
  /** A client that has not connected yet. */
  client: (url: string, headers: Record<string, string>) => Centrifuge
}

export function clients (t: { teardown: (fn: () => unknown) => void }): Clients {
  const all: Centrifuge[] = []
  t.teardown(() => { for (const c of all) c.disconnect() })
  const client = (url: string, headers: Record<string, string>): Centrifuge => {
    const c = new Centrifuge(url, { websocket: socketWith(headers), minReconnectDelay: 50, maxReconnectDelay: 200, timeout: 5000 })
    c.on('error', () => {})
    all.push(c)
    return c
  }
  return {
    client,
    connect: async (url, headers) => {
      const c = client(url, headers)
      const connected = nextEvent(c, 'connected')
      c.connect()
      await connected
      return c
    }
  }
}

/** Subscribes and waits for the subscription's first state after subscribing. */
export async function subscribed (
  sub: Subscription
): Promise<{ state: 'subscribed', data?: unknown } | { state: 'unsubscribed', code: number, reason: string }> {
  return new Promise(resolve => {
    sub.once('subscribed', ctx => { resolve({ state: 'subscribed', ...(ctx.data !== undefined ? { data: ctx.data } : {}) }) })
    sub.once('unsubscribed', ctx => { resolve({ state: 'unsubscribed', code: ctx.code, reason: ctx.reason }) })
    sub.subscribe()
  })
}

/** Next publication data on a subscription. */
export function nextPublication (sub: Subscription): Promise<unknown> {
  return new Promise(resolve => { sub.once('publication', ctx => { resolve(ctx.data) }) })
}

/** A raw protocol socket: send commands, read frames, see the close code. */
export class RawSocket {
  readonly frames: string[] = []
  private waiters: Array<() => void> = []
  closed: Promise<{ code: number, reason: string }>
  readonly ws: WebSocket

  constructor (url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers })
    this.ws.on('message', d => { this.frames.push(String(d)); for (const w of this.waiters.splice(0)) w() })
    this.closed = new Promise(resolve => { this.ws.on('close', (code, reason) => { resolve({ code, reason: String(reason) }) }) })
  }

  async open (): Promise<void> {
    await once(this.ws, 'open')
  }

  send (...commands: object[]): void {
    this.ws.send(commands.map(c => JSON.stringify(c)).join('\n'))
  }

  /** The next frame not read yet. */
  async next (): Promise<string> {
    while (this.read >= this.frames.length) await new Promise<void>(resolve => this.waiters.push(resolve))
    return this.frames[this.read++]!
  }

  private read = 0
}

type Teardown = { teardown: (fn: () => unknown) => void }

/** A raw socket as the admin, open (no connect command sent yet); terminated on teardown. */
export async function rawSocket (t: Teardown, url: string): Promise<RawSocket> {
  const socket = new RawSocket(url, { authorization: ADMIN })
  t.teardown(() => { socket.ws.terminate() })
  await socket.open()
  return socket
}

/** A raw socket as the admin, connected and subscribed to `channel`, asking for join/leave pushes or not; terminated on teardown. */
export async function rawSubscriber (t: Teardown, url: string, channel: string, joinLeave = false): Promise<{ socket: RawSocket, client: string }> {
  const socket = await rawSocket(t, url)
  socket.send({ connect: {}, id: 1 })
  const client = (JSON.parse(await socket.next()) as { connect: { client: string } }).connect.client
  socket.send({ subscribe: { channel, ...(joinLeave ? { join_leave: true } : {}) }, id: 2 })
  const reply = await socket.next()
  if (!reply.startsWith('{"id":2,"subscribe":')) throw new Error(`subscribe to ${channel} failed: ${reply}`)
  return { socket, client }
}

/** A push frame as the server writes it: `kind` is pub, join or leave. */
export const pushFrame = (channel: string, kind: string, body: unknown): string =>
  `{"push":{"channel":${JSON.stringify(channel)},"${kind}":${JSON.stringify(body)}}}`

/**
 * The status and body of a refused upgrade, and whether the server then closed the socket within
 * `closeWithinMs` (a refused upgrade left open holds a socket until the client gives up).
 */
export async function refusedUpgrade (url: string, headers: Record<string, string>, closeWithinMs = 2000): Promise<{
  status: number, body: string, contentType: string | undefined, closed: Promise<boolean>
}> {
  const ws = new WebSocket(url, { headers })
  ws.on('error', () => {})
  const [, res] = await once(ws, 'unexpected-response') as [unknown, import('node:http').IncomingMessage]
  const socket = res.socket
  const closed = new Promise<boolean>(resolve => {
    const timer = setTimeout(() => { socket.destroy(); resolve(false) }, closeWithinMs)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
  })
  let body = ''
  for await (const chunk of res) body += chunk
  return { status: res.statusCode ?? 0, body, contentType: res.headers['content-type'], closed }
}

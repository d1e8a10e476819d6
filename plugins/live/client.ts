// One Live websocket speaking Centrifuge's JSON protocol: connect first, then subscribe,
// unsubscribe, publish and presence by id; `{}` pings answered by `{}` pongs; fatal conditions
// close the socket with a 3xxx code. Commands of one client run in order.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import type { Identity } from '../auth/identity.js'
import type { Connections } from './connections.js'
import type { Hub, Peer } from './hub.js'
import {
  DISCONNECT, ERROR, PING, decodeFrame, encodeError, encodeReply, joinLeave, type ClientInfo, type Command, type Disconnect, type Method, type ReplyError
} from './protocol.js'

/** Centrifuge's client queue: a subscriber this far behind is "slow" and is closed. */
const MAX_BUFFERED = 4 * 1024 * 1024

export interface ClientHost {
  hub: Hub
  connections: Connections<Client>
  log: FastifyBaseLogger
  subscribe (identity: Identity, wire: string): Promise<{ error: ReplyError } | { data?: string, presence: boolean }>
  publish (identity: Identity, wire: string, data: unknown): ReplyError | undefined
}

export class Client implements Peer {
  readonly id = randomUUID()
  private connected = false
  private closed = false
  /** Subscribed channels → whether they have presence and join/leave. */
  private readonly subs = new Map<string, boolean>()
  private joinLeave: Set<string> | undefined
  private readonly openedAt = Date.now()
  private pingAt = 0
  private pongBy = 0
  private queue: Promise<void> = Promise.resolve()

  constructor (private readonly ws: WebSocket, readonly identity: Identity, private readonly host: ClientHost) {
    host.connections.add(this)
    ws.on('message', (data, isBinary) => { this.onMessage(data as Buffer, isBinary) })
    ws.on('close', () => { this.cleanup() })
    ws.on('error', () => { this.cleanup() })
  }

  get info (): ClientInfo {
    return { user: String(this.identity.userId ?? 0), client: this.id }
  }

  write (frame: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.disconnect(DISCONNECT.slow)
      return
    }
    // The shared, ready-made frame goes straight to the TCP socket. Safe because ws has nothing
    // queued of its own here: no compression (perMessageDeflate is off) and no Blob sends.
    this.socket.write(frame)
  }

  private get socket (): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket
  }

  wantsJoinLeave (channel: string): boolean {
    return this.joinLeave?.has(channel) === true
  }

  tick (now: number): void {
    if (this.closed) return
    if (!this.connected) {
      if (now - this.openedAt >= this.host.connections.timings.connectTimeoutMs) this.disconnect(DISCONNECT.stale)
      return
    }
    if (this.pongBy !== 0) {
      if (now >= this.pongBy) this.disconnect(DISCONNECT.noPong)
      return
    }
    if (now >= this.pingAt) {
      this.send(PING)
      this.pongBy = now + this.host.connections.timings.pongTimeoutMs
      this.pingAt = now + this.host.connections.timings.pingIntervalMs
    }
  }

  disconnect (d: Disconnect): void {
    if (this.closed) return
    this.cleanup()
    this.ws.close(d.code, d.reason)
  }

  private send (text: string): void {
    if (!this.closed) this.ws.send(text)
  }

  private onMessage (data: Buffer, isBinary: boolean): void {
    if (this.closed) return
    const commands = isBinary ? undefined : decodeFrame(data.toString('utf8'))
    if (commands === undefined) {
      this.host.log.debug({ client: this.id }, 'Malformed command')
      this.disconnect(DISCONNECT.badRequest)
      return
    }
    this.queue = this.queue.then(() => this.run(commands)).catch(err => {
      this.host.log.error({ err, client: this.id }, 'Live command failed')
      this.disconnect(DISCONNECT.internal)
    })
  }

  private async run (commands: Command[]): Promise<void> {
    for (const cmd of commands) {
      if (this.closed) return
      if (cmd.kind === 'pong') {
        if (!this.connected || this.pongBy === 0) { this.disconnect(DISCONNECT.badRequest); return }
        this.pongBy = 0
        continue
      }
      if (cmd.kind === 'send' || cmd.kind === 'unknown') {
        if (!this.connected) { this.disconnect(DISCONNECT.badRequest); return }
        if (cmd.kind === 'unknown') this.send(encodeError(cmd.id, ERROR.methodNotFound))
        continue
      }
      if (this.connected === (cmd.method === 'connect')) { this.disconnect(DISCONNECT.badRequest); return }
      await this.call(cmd.id, cmd.method, cmd.params)
    }
  }

  private async call (id: number, method: Method, params: Record<string, unknown>): Promise<void> {
    switch (method) {
      case 'connect': return this.connect(id)
      case 'subscribe': return this.subscribe(id, params)
      case 'unsubscribe': {
        const channel = channelOf(params)
        if (channel === undefined) return this.disconnect(DISCONNECT.badRequest)
        this.leave(channel)
        return this.send(encodeReply(id, 'unsubscribe', {}))
      }
      case 'publish': {
        const channel = channelOf(params)
        if (channel === undefined || params.data === undefined) return this.disconnect(DISCONNECT.badRequest)
        const error = this.host.publish(this.identity, channel, params.data)
        return this.send(error === undefined ? encodeReply(id, 'publish', {}) : encodeError(id, error))
      }
      case 'presence':
      case 'presence_stats': return this.presence(id, method, params)
      case 'history':
      case 'refresh':
      case 'sub_refresh': return this.send(encodeError(id, ERROR.notAvailable))
      default: return this.send(encodeError(id, ERROR.methodNotFound))
    }
  }

  private connect (id: number): void {
    this.connected = true
    const over = this.host.connections.connected()
    const ping = Math.max(1, Math.ceil(this.host.connections.timings.pingIntervalMs / 1000))
    this.send(encodeReply(id, 'connect', { client: this.id, ping, pong: true }))
    this.pingAt = this.host.connections.firstPingAt(Date.now())
    if (over) {
      this.host.log.warn(
        { user: this.identity.login, client: this.id, limit: this.host.connections.limit },
        'Max number of Live connections reached, increase max_connections in [live] configuration section'
      )
      this.disconnect(DISCONNECT.connectionLimit)
    }
  }

  private async subscribe (id: number, params: Record<string, unknown>): Promise<void> {
    const channel = channelOf(params)
    if (channel === undefined) return this.disconnect(DISCONNECT.badRequest)
    if (this.subs.has(channel)) return this.send(encodeError(id, ERROR.alreadySubscribed))
    const outcome = await this.host.subscribe(this.identity, channel)
    if (this.closed) return
    if ('error' in outcome) return this.send(encodeError(id, outcome.error))
    // The reply goes out before the first publication can: both happen in this same tick.
    this.send(`{"id":${id},"subscribe":{${outcome.data !== undefined ? `"data":${outcome.data}` : ''}}}`)
    this.subs.set(channel, outcome.presence)
    this.host.hub.subscribe(channel, this)
    if (outcome.presence) {
      if (params.join_leave === true) (this.joinLeave ??= new Set()).add(channel)
      this.host.hub.publish(channel, joinLeave('join', this.info))
    }
  }

  private leave (channel: string): void {
    const presence = this.subs.get(channel)
    if (presence === undefined) return
    this.subs.delete(channel)
    this.joinLeave?.delete(channel)
    this.host.hub.unsubscribe(channel, this)
    if (presence) this.host.hub.publish(channel, joinLeave('leave', this.info))
  }

  private presence (id: number, method: 'presence' | 'presence_stats', params: Record<string, unknown>): void {
    const channel = channelOf(params)
    if (channel === undefined) return this.disconnect(DISCONNECT.badRequest)
    const presence = this.subs.get(channel)
    if (presence === undefined) return this.send(encodeError(id, ERROR.permissionDenied))
    if (!presence) return this.send(encodeError(id, ERROR.notAvailable))
    const clients: Record<string, ClientInfo> = {}
    const users = new Set<string>()
    for (const peer of this.host.hub.subscribers(channel)) {
      if (!(peer instanceof Client)) continue
      clients[peer.id] = peer.info
      users.add(peer.info.user)
    }
    if (method === 'presence') return this.send(encodeReply(id, 'presence', { presence: clients }))
    return this.send(encodeReply(id, 'presence_stats', { num_clients: Object.keys(clients).length, num_users: users.size }))
  }

  private cleanup (): void {
    if (this.closed) return
    this.closed = true
    for (const channel of [...this.subs.keys()]) this.leave(channel)
    this.host.connections.remove(this, this.connected)
  }
}

function channelOf (params: Record<string, unknown>): string | undefined {
  return typeof params.channel === 'string' && params.channel !== '' ? params.channel : undefined
}

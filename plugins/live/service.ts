// Live's operations, shared by the websocket clients and the HTTP routes: subscribe and publish
// checks, HTTP publish, Telegraf push, the managed channel list, dashboard events.
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { Identity } from '../auth/identity.js'
import { ERR_BAD_REQUEST, ERR_LIVE_FORBIDDEN, ERR_LIVE_FRAME_FORMAT, ERR_LIVE_INVALID_CHANNEL, ERR_LIVE_NOT_FOUND } from '../errors/codes.js'
import { parseChannel, prependOrgId } from './channels.js'
import { Client, type ClientHost } from './client.js'
import { Connections, type Timings } from './connections.js'
import { FRAME_FORMATS, toFrames, type FrameFormat } from './frames.js'
import { ChannelRules, statusError, type DashboardAccess, type Status } from './handlers.js'
import { Hub, type Broker } from './hub.js'
import { LineProtocolError, parseLineProtocol } from './line-protocol.js'
import { DISCONNECT, encodeData, publication, type ReplyError } from './protocol.js'
import { ManagedStreams, type ManagedChannel } from './streams.js'

export interface LiveServiceOptions {
  log: FastifyBaseLogger
  maxConnections: number
  timings: Timings
  dashboards: () => DashboardAccess | undefined
}

export class LiveService implements ClientHost {
  readonly hub = new Hub()
  readonly connections: Connections<Client>
  readonly streams = new ManagedStreams()
  readonly log: FastifyBaseLogger
  private readonly rules: ChannelRules
  private broker: Broker | undefined

  constructor (opts: LiveServiceOptions) {
    this.log = opts.log
    this.connections = new Connections(opts.timings, opts.maxConnections)
    this.rules = new ChannelRules(this.streams, opts.dashboards)
  }

  setBroker (broker: Broker): void {
    this.broker = broker
    this.hub.setBroker(broker)
  }

  /** A websocket that passed authentication and the origin check. */
  accept (ws: WebSocket, identity: Identity): Client {
    return new Client(ws, identity, this)
  }

  async subscribe (identity: Identity, wire: string): Promise<{ error: ReplyError } | { data?: string, presence: boolean }> {
    const r = this.rules.resolve(identity, wire)
    if (!r.ok) return { error: r.error }
    const outcome = await this.rules.subscribe(identity, r.orgId, r.address)
    if (outcome.status !== 'ok') return { error: statusError(outcome.status) }
    return { ...(outcome.data !== undefined ? { data: outcome.data } : {}), presence: outcome.presence === true }
  }

  /** A websocket publish; `data` as the client sent it (parsed JSON). */
  publish (identity: Identity, wire: string, data: unknown): ReplyError | undefined {
    const r = this.rules.resolve(identity, wire)
    if (!r.ok) return r.error
    const outcome = this.rules.publish(r.orgId, r.address, encodeData(data))
    if (outcome.status !== 'ok') return statusError(outcome.status)
    if (outcome.data !== undefined) this.hub.publish(wire, publication(outcome.data))
    return undefined
  }

  /** POST /api/live/publish: the channel has no org prefix; the caller's org is used. `data`: the parsed body's, if any. */
  publishHttp (identity: Identity, channel: string, data: unknown): void {
    const address = parseChannel(channel)
    if (address === undefined) throw new ERR_LIVE_INVALID_CHANNEL()
    const outcome = this.rules.publish(identity.orgId, address, encodeData(data))
    if (outcome.status !== 'ok') throw httpError(outcome.status)
    if (outcome.data !== undefined) this.hub.publish(prependOrgId(identity.orgId, channel), publication(outcome.data))
  }

  /** POST /api/live/push/:streamId: every line valid, or nothing is published. */
  push (identity: Identity, streamId: string, body: string, format: string): void {
    if (!FRAME_FORMATS.includes(format as FrameFormat)) throw new ERR_LIVE_FRAME_FORMAT(format)
    if (parseChannel(`stream/${streamId}/x`) === undefined) throw new ERR_LIVE_INVALID_CHANNEL()
    let frames
    try {
      const points = parseLineProtocol(body)
      frames = toFrames(points, format as FrameFormat)
      for (const f of frames) {
        if (parseChannel(`stream/${streamId}/${f.name}`) === undefined) {
          const p = points.find(p => p.measurement === f.name)!
          throw new LineProtocolError(p.line, p.text, `measurement "${f.name}" cannot name a Live channel (letters, digits and _-/=., only)`)
        }
      }
    } catch (err) {
      if (err instanceof LineProtocolError) throw new ERR_BAD_REQUEST(err.message)
      throw err
    }
    for (const f of frames) {
      const wire = prependOrgId(identity.orgId, `stream/${streamId}/${f.name}`)
      this.hub.publish(wire, publication(this.streams.update(wire, f)))
    }
  }

  list (orgId: number): ManagedChannel[] {
    return this.streams.list(orgId)
  }

  dashboardChanged (change: { orgId: number, uid: string, action: 'saved' | 'deleted' }): void {
    const wire = prependOrgId(change.orgId, `grafana/dashboard/uid/${change.uid}`)
    this.hub.publish(wire, publication(JSON.stringify({ uid: change.uid, action: change.action })))
  }

  /** Shutdown: every client is closed with 3001 so it reconnects elsewhere. */
  async close (): Promise<void> {
    for (const c of [...this.connections.all()]) c.disconnect(DISCONNECT.shutdown)
    this.connections.stop()
    await this.broker?.close()
  }
}

function httpError (status: Exclude<Status, 'ok'>): Error {
  switch (status) {
    case 'invalid': return new ERR_LIVE_INVALID_CHANNEL()
    case 'forbidden': return new ERR_LIVE_FORBIDDEN()
    case 'notFound': return new ERR_LIVE_NOT_FOUND()
  }
}

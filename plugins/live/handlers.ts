// What each channel scope allows, as Grafana's channel handlers decide it:
//   grafana/broadcast/<path>     any org member subscribes; publishes are re-broadcast (last one replayed)
//   grafana/dashboard/uid/<uid>  subscribe needs read access; the server publishes save/delete events
//   stream/<streamId>/<name>     any org member subscribes (last frame replayed); data comes only by push
// The org prefix of a wire channel must be the caller's org.
import { LRUCache } from 'lru-cache'
import type { Identity } from '../auth/identity.js'
import { parseChannel, prependOrgId, stripOrgId, type ChannelAddress } from './channels.js'
import { ERROR, type ReplyError } from './protocol.js'
import type { ManagedStreams } from './streams.js'

/** What Live needs from the dashboards concern. */
export interface DashboardAccess {
  canRead (identity: Identity, uid: string): Promise<boolean>
}

export type Status = 'ok' | 'invalid' | 'forbidden' | 'notFound'

export interface SubscribeOutcome {
  status: Status
  /** Subscribe reply data, serialized. */
  data?: string
  /** Channels with presence and join/leave (Grafana: broadcast and dashboards). */
  presence?: boolean
}

export interface PublishOutcome {
  status: Status
  /** What to publish on the channel, serialized; none: nothing is published. */
  data?: string
}

/** A wire channel resolved for a caller: the org check done, the channel parsed. */
export type Resolved = { ok: true, orgId: number, address: ChannelAddress } | { ok: false, error: ReplyError }

export class ChannelRules {
  private readonly broadcasts = new LRUCache<string, string>({ max: 1000 })

  constructor (private readonly streams: ManagedStreams, private readonly dashboards: () => DashboardAccess | undefined) {}

  resolve (identity: Identity, wire: string): Resolved {
    const stripped = stripOrgId(wire)
    if (stripped === undefined) return { ok: false, error: ERROR.invalidChannel }
    if (stripped.orgId !== identity.orgId) return { ok: false, error: ERROR.permissionDenied }
    const address = parseChannel(stripped.channel)
    if (address === undefined) return { ok: false, error: ERROR.invalidChannel }
    return { ok: true, orgId: stripped.orgId, address }
  }

  async subscribe (identity: Identity, orgId: number, a: ChannelAddress): Promise<SubscribeOutcome> {
    const wire = prependOrgId(orgId, `${a.scope}/${a.namespace}/${a.path}`)
    if (a.scope === 'grafana') {
      if (a.namespace === 'broadcast') return { status: 'ok', presence: true, ...withData(this.broadcasts.get(wire)) }
      if (a.namespace === 'dashboard') {
        const uid = dashboardUid(a.path)
        const dashboards = this.dashboards()
        if (uid === undefined || dashboards === undefined) return { status: 'notFound' }
        return (await dashboards.canRead(identity, uid)) ? { status: 'ok', presence: true } : { status: 'forbidden' }
      }
      return { status: 'notFound' }
    }
    if (a.scope === 'stream') return { status: 'ok', ...withData(this.streams.last(wire)) }
    // Data source and plugin streams need backend plugins, which Gatehouse does not run; other
    // scopes and namespaces name nothing. Grafana answers those with a 500 (and, on the
    // websocket, a temporary error the client retries forever): a 404 says what happened.
    return { status: 'notFound' }
  }

  /** A publish by a client (websocket or HTTP); `data` is serialized JSON (none: HTTP publish without data). */
  publish (orgId: number, a: ChannelAddress, data: string | undefined): PublishOutcome {
    if (a.scope === 'grafana') {
      if (a.namespace === 'broadcast') {
        if (data === undefined) return { status: 'ok' }
        this.broadcasts.set(prependOrgId(orgId, `${a.scope}/${a.namespace}/${a.path}`), data)
        return { status: 'ok', data }
      }
      // Dashboard channels carry server events only (Grafana's editing notices are not supported);
      // other namespaces name nothing.
      return { status: 'notFound' }
    }
    if (a.scope === 'stream') return { status: 'forbidden' }
    return { status: 'notFound' }
  }
}

function dashboardUid (path: string): string | undefined {
  const parts = path.split('/')
  return parts.length === 2 && parts[0] === 'uid' && parts[1] !== '' ? parts[1] : undefined
}

const withData = (data: string | undefined): { data?: string } => data === undefined ? {} : { data }

/** A handler status as a Centrifuge reply error (Grafana uses HTTP codes there). */
export function statusError (status: Exclude<Status, 'ok'>): ReplyError {
  switch (status) {
    case 'invalid': return ERROR.invalidChannel
    case 'forbidden': return ERROR.forbidden
    case 'notFound': return ERROR.notFound
  }
}

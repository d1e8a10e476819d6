// Fan-out: which local peers listen on which channel, and delivery of pushes to them. Each push
// is encoded once, as a complete websocket frame, and that same Buffer is written to every
// subscriber's socket (no per-subscriber JSON, string conversion or frame header).
// Publications also go to the broker (Redis), which brings other instances' pushes back in.
import { encodePush, type Push } from './protocol.js'

export interface Peer {
  /** Writes one complete websocket text frame (see textFrame). */
  write (frame: Buffer): void
  /** Whether this peer asked for join/leave pushes on the channel. */
  wantsJoinLeave (channel: string): boolean
}

/** Carries pushes between instances. Every method is fire-and-forget: an outage must not stop local delivery. */
export interface Broker {
  publish (channel: string, push: Push): void
  subscribe (channel: string): void
  unsubscribe (channel: string): void
  close (): Promise<void>
}

export class Hub {
  private readonly channels = new Map<string, Set<Peer>>()
  private broker: Broker | undefined
  /** Publications made on this instance since start (the activity page samples it). */
  published = 0

  setBroker (broker: Broker): void {
    this.broker = broker
    for (const channel of this.channels.keys()) broker.subscribe(channel)
  }

  /** False when the peer was already subscribed. */
  subscribe (channel: string, peer: Peer): boolean {
    let set = this.channels.get(channel)
    if (set === undefined) {
      set = new Set()
      this.channels.set(channel, set)
      this.broker?.subscribe(channel)
    }
    if (set.has(peer)) return false
    set.add(peer)
    return true
  }

  unsubscribe (channel: string, peer: Peer): void {
    const set = this.channels.get(channel)
    if (set === undefined || !set.delete(peer)) return
    if (set.size === 0) {
      this.channels.delete(channel)
      this.broker?.unsubscribe(channel)
    }
  }

  subscribers (channel: string): ReadonlySet<Peer> {
    return this.channels.get(channel) ?? EMPTY
  }

  /** Delivers here and on every other instance. */
  publish (channel: string, push: Push): void {
    this.published++
    this.deliver(channel, push)
    this.broker?.publish(channel, push)
  }

  /** Delivers to this instance's subscribers only (the broker calls this for remote pushes). */
  deliver (channel: string, push: Push): void {
    const set = this.channels.get(channel)
    if (set === undefined) return
    const frame = textFrame(Buffer.from(encodePush(channel, push)))
    const joinLeave = push.kind !== 'pub'
    for (const peer of set) {
      if (joinLeave && !peer.wantsJoinLeave(channel)) continue
      peer.write(frame)
    }
  }
}

const EMPTY: ReadonlySet<Peer> = new Set()

/** An unmasked, final text frame (RFC 6455 5.2), as a server sends it. */
export function textFrame (payload: Buffer): Buffer {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + n)
  frame[0] = 0x81
  if (n < 126) {
    frame[1] = n
  } else if (n < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(n), 2)
  }
  payload.copy(frame, head)
  return frame
}

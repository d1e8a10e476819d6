// The worker's side of the cluster bus: topics with local handlers, and publications that reach
// every other worker through the primary. In a single process it is a loopback: broadcast() runs
// the local handlers and resolves. Revocations (a deleted key, a changed password) use
// broadcast(): it resolves only once every worker applied them, so the response that confirms a
// revocation is sent after no worker can still accept what was revoked.
import { TAG, isMessage, type Message } from './messages.js'

export type Handler = (payload: any) => void

/** The IPC side of a cluster worker (`process` there); undefined in a single process. */
export interface Channel {
  send: (message: Message) => unknown
  on: (event: 'message', listener: (message: unknown) => void) => unknown
  off: (event: 'message', listener: (message: unknown) => void) => unknown
}

export class ClusterBus {
  private readonly handlers = new Map<string, Set<Handler>>()
  private readonly waiting = new Map<number, () => void>()
  private nextId = 1
  private readonly listener = (m: unknown): void => { if (isMessage(m)) this.received(m) }

  constructor (
    private readonly channel: Channel | undefined,
    /** This worker's id (node:cluster's); 0 in a single process. */
    readonly worker: number,
    private readonly ackTimeoutMs: number,
    /** A worker that did not answer in time (stuck, or exiting): the caller goes on regardless. */
    private readonly onTimeout: (topic: string) => void
  ) {
    channel?.on('message', this.listener)
  }

  on (topic: string, handler: Handler): void {
    let set = this.handlers.get(topic)
    if (set === undefined) this.handlers.set(topic, set = new Set())
    set.add(handler)
  }

  /** Applies here at once and on every other worker before the promise resolves. */
  async broadcast (topic: string, payload: unknown): Promise<void> {
    this.apply(topic, payload)
    if (this.channel === undefined) return
    const id = this.nextId++
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { this.waiting.delete(id); this.onTimeout(topic); resolve() }, this.ackTimeoutMs)
      this.waiting.set(id, () => { clearTimeout(timer); resolve() })
      this.channel!.send({ tag: TAG, kind: 'publish', topic, payload, id })
    })
  }

  /** To every other worker, without waiting (Live publications: the local delivery is the caller's). */
  relay (topic: string, payload: unknown): void {
    this.channel?.send({ tag: TAG, kind: 'publish', topic, payload })
  }

  close (): void {
    this.channel?.off('message', this.listener)
    for (const resolve of this.waiting.values()) resolve()
    this.waiting.clear()
  }

  private apply (topic: string, payload: unknown): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(payload)
  }

  private received (m: Message): void {
    if (m.kind === 'deliver') {
      this.apply(m.topic, m.payload)
      if (m.id !== undefined && m.origin !== undefined) this.channel?.send({ tag: TAG, kind: 'ack', id: m.id, origin: m.origin })
    } else if (m.kind === 'done') {
      const resolve = this.waiting.get(m.id)
      this.waiting.delete(m.id)
      resolve?.()
    }
  }
}

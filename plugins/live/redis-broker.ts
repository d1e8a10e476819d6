// [live] ha_engine = redis: pushes cross instances through Redis pub/sub, one Redis channel per
// Live channel that has local subscribers (`<ha_prefix>.client.v2.<channel>`), so every instance
// serves its own sockets. Redis down: local delivery goes on, one error is logged per outage,
// and ioredis reconnects by itself; pushes made during the outage do not reach other instances.
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import type { Broker } from './hub.js'
import { pushFrom, type Push } from './protocol.js'

export interface RedisBrokerOptions {
  /** As configured, for log lines. */
  address: string
  host: string
  port: number
  password: string
  /** `gf_live` or `<ha_prefix>.gf_live`. */
  prefix: string
  log: FastifyBaseLogger
  /** Called with remote pushes. */
  deliver: (channel: string, push: Push) => void
}

export class RedisBroker implements Broker {
  /** Tells this instance's own messages apart when they come back. */
  private readonly node = randomUUID()
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly wanted = new Set<string>()
  private readonly channelPrefix: string
  private down = false
  private closing = false

  constructor (private readonly opts: RedisBrokerOptions) {
    const common = {
      host: opts.host,
      port: opts.port,
      ...(opts.password !== '' ? { password: opts.password } : {}),
      // Never queue while disconnected: stale pushes replayed minutes later would mislead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      connectTimeout: 5000,
      retryStrategy: (times: number) => Math.min(100 * times, 2000)
    }
    // v2: a message is `<node>\n<kind>\n<body>` (v1, unversioned, had no kind line). Instances of
    // different formats meet on different Redis channels during a rolling upgrade rather than
    // misreading each other (an old one would have sent the kind line to its sockets as JSON).
    this.channelPrefix = `${opts.prefix}.client.v2.`
    this.pub = new Redis({ ...common, connectionName: 'gatehouse-live-pub' })
    this.sub = new Redis({ ...common, connectionName: 'gatehouse-live-sub' })
    for (const r of [this.pub, this.sub]) {
      r.on('error', (err: Error) => { this.failed(err) })
      r.on('ready', () => { this.ready() })
    }
    this.sub.on('ready', () => {
      if (this.wanted.size > 0) this.sub.subscribe(...[...this.wanted].map(c => this.channelPrefix + c)).catch(err => { this.failed(err) })
    })
    this.sub.on('message', (redisChannel: string, message: string) => { this.received(redisChannel, message) })
  }

  /** On the wire: `<node>\n<kind>\n<body>`: the node tells our own messages apart, the kind is never guessed from the body. */
  publish (channel: string, push: Push): void {
    if (this.pub.status !== 'ready') return
    this.pub.publish(this.channelPrefix + channel, `${this.node}\n${push.kind}\n${push.body}`).catch(err => { this.failed(err) })
  }

  subscribe (channel: string): void {
    this.wanted.add(channel)
    if (this.sub.status === 'ready') this.sub.subscribe(this.channelPrefix + channel).catch(err => { this.failed(err) })
  }

  unsubscribe (channel: string): void {
    this.wanted.delete(channel)
    if (this.sub.status === 'ready') this.sub.unsubscribe(this.channelPrefix + channel).catch(err => { this.failed(err) })
  }

  /** Both connections are up (for tests and health). */
  get healthy (): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready'
  }

  async close (): Promise<void> {
    this.closing = true
    this.pub.disconnect()
    this.sub.disconnect()
  }

  private received (redisChannel: string, message: string): void {
    if (!redisChannel.startsWith(this.channelPrefix)) return
    const nodeEnd = message.indexOf('\n')
    const kindEnd = message.indexOf('\n', nodeEnd + 1)
    if (nodeEnd < 0 || kindEnd < 0 || message.slice(0, nodeEnd) === this.node) return
    const push = pushFrom(message.slice(nodeEnd + 1, kindEnd), message.slice(kindEnd + 1))
    if (push !== undefined) this.opts.deliver(redisChannel.slice(this.channelPrefix.length), push)
  }

  private failed (err: Error): void {
    if (this.down || this.closing) return
    this.down = true
    // The message says it all (a stack of socket internals would not help an operator).
    this.opts.log.error(
      { error: err.message, address: this.opts.address },
      'Live HA engine (Redis) unavailable: publications reach this instance\'s subscribers only until it is back'
    )
  }

  private ready (): void {
    if (!this.down || !this.healthy) return
    this.down = false
    this.opts.log.info({ address: this.opts.address }, 'Live HA engine (Redis) connected again')
  }
}

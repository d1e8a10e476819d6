// Live across the workers of one instance ([server] workers > 1) when there is no Redis: every
// publication goes to the other workers through the primary, and each delivers it to its own
// subscribers. Workers do not tell each other what they subscribe to: relaying a push nobody on a
// worker wants costs that worker one map lookup, less than keeping subscription lists in step.
import type { ClusterBus } from '../cluster/bus.js'
import type { Broker } from './hub.js'
import { pushFrom, type Push } from './protocol.js'

const TOPIC = 'live.publish'

/** What crosses the bus: the channel and the push, its kind a field of its own. */
interface Relayed { channel: string, kind: string, body: string }

export class ClusterBroker implements Broker {
  constructor (private readonly bus: ClusterBus, deliver: (channel: string, push: Push) => void) {
    bus.on(TOPIC, (p: Relayed) => {
      const push = pushFrom(p.kind, p.body)
      if (push !== undefined) deliver(p.channel, push)
    })
  }

  publish (channel: string, push: Push): void {
    this.bus.relay(TOPIC, { channel, kind: push.kind, body: push.body } satisfies Relayed)
  }

  subscribe (): void {}
  unsubscribe (): void {}
  async close (): Promise<void> {}
}

/** [live] max_connections is for the instance: each of `workers` workers takes an equal share (-1: unlimited). */
export function connectionShare (maxConnections: number, workers: number): number {
  return maxConnections < 0 ? -1 : Math.floor(maxConnections / workers)
}

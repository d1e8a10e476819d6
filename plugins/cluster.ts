// The cluster bus (decorates `cluster`): in a worker of `[server] workers > 1` it carries cache
// invalidations and Live publications to the other workers through the primary (cluster/primary.ts);
// in a single process it is a loopback, so callers never ask which mode they run in.
import cluster from 'node:cluster'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ClusterBus, type Channel } from './cluster/bus.js'

declare module 'fastify' {
  interface FastifyInstance {
    cluster: ClusterBus
  }
}

// Long enough for a busy worker's event loop; short enough that a stuck one cannot hang a request.
const ACK_TIMEOUT_MS = 2_000

async function clusterPlugin (app: FastifyInstance): Promise<void> {
  const log = app.log.child({ logger: 'cluster' })
  const channel = cluster.isWorker ? process as unknown as Channel : undefined
  const bus = new ClusterBus(channel, cluster.worker?.id ?? 0, ACK_TIMEOUT_MS, topic => {
    log.warn({ topic, timeout_ms: ACK_TIMEOUT_MS }, 'A worker did not confirm an invalidation in time')
  })
  app.decorate('cluster', bus)
  app.addHook('onClose', async () => { bus.close() })
}

export default fp(clusterPlugin, { name: 'cluster', dependencies: ['config'] })

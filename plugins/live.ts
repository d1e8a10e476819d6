// Grafana Live: a Centrifuge-protocol websocket hub (decorates `live`), optionally spread over
// several instances through Redis ([live] ha_engine = redis). Routes are in routes/api/live.ts.
import fp from 'fastify-plugin'
import websocket from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import { DEFAULT_TIMINGS, type Timings } from './live/connections.js'
import type { DashboardChange } from './dashboards/service.js'
import { ClusterBroker, connectionShare } from './live/cluster-broker.js'
import { LiveService } from './live/service.js'
import { socketErrorLogger } from './live/socket-errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveService
  }
}

export interface LivePluginOptions {
  /** Ping, pong and connect timings (tests shorten them; operators have no knob, as in Grafana). */
  timings?: Partial<Timings>
}

/** ws's maxPayload: Centrifuge reads 0 as its 64 KiB default; -1 is no limit (ws: 0). */
export function maxPayload (messageSizeLimit: number): number {
  return messageSizeLimit === 0 ? 65536 : messageSizeLimit < 0 ? 0 : messageSizeLimit
}

async function livePlugin (app: FastifyInstance, opts: LivePluginOptions): Promise<void> {
  const cfg = app.config.live
  const log = app.log.child({ logger: 'live' })
  const { dashboards } = app
  const live = new LiveService({
    log,
    maxConnections: connectionShare(cfg.maxConnections, app.config.server.workers),
    timings: { ...DEFAULT_TIMINGS, ...opts.timings },
    dashboards: () => dashboards
  })
  app.decorate('live', live)

  if (cfg.haEngine !== 'redis' && app.config.server.workers > 1) {
    live.setBroker(new ClusterBroker(app.cluster, (channel, push) => { live.hub.deliver(channel, push) }))
  } else if (cfg.haEngine === 'redis') {
    // Imported here: ioredis costs ~90 ms of CPU and ~7 MB at start that only this engine needs.
    const { RedisBroker } = await import('./live/redis-broker.js')
    live.setBroker(new RedisBroker({
      address: cfg.haEngineAddress,
      host: cfg.haEngineHost,
      port: cfg.haEnginePort,
      password: cfg.haEnginePassword,
      prefix: cfg.haPrefix,
      log,
      deliver: (channel, push) => { live.hub.deliver(channel, push) }
    }))
  }

  const onChange = (change: DashboardChange): void => { live.dashboardChanged(change) }
  dashboards.events.on('change', onChange)
  app.addHook('onClose', async () => { dashboards.events.off('change', onChange) })

  // @fastify/websocket frees the socket of a refused upgrade only if its own onRequest hook ran;
  // a hook registered before it (auth, CSRF) that refuses the request skips it, so free it here.
  // Only websocket upgrades (not, say, curl --http2's `Upgrade: h2c`), and a callback hook: it
  // runs on every response.
  app.addHook('onResponse', (request, _reply, done) => {
    const socket = request.raw.socket
    if (request.raw.headers.upgrade?.toLowerCase() === 'websocket' && !socket.destroyed) socket.destroy()
    done()
  })

  const logSocketError = socketErrorLogger(log)
  await app.register(websocket, {
    options: { maxPayload: maxPayload(cfg.messageSizeLimit), perMessageDeflate: false },
    // ws has already sent its close code (1009 for a frame over the limit); the default handler
    // would log every such client mistake at error level with a stack.
    errorHandler: (err, socket, request) => {
      logSocketError(err as NodeJS.ErrnoException, request.ip)
      socket.terminate()
    },
    // Clients are told "shutdown" (3001) and reconnect, possibly to another instance.
    preClose: async function () {
      await live.close()
      app.websocketServer.close()
    }
  })
}

export default fp(livePlugin, { name: 'live', dependencies: ['config', 'cluster', 'auth', 'origin-policy', 'dashboards'] })

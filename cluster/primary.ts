// The primary process of `[server] workers > 1`: forks the workers (the first alone, so migrations
// and the first-start bootstrap run once before the others start), restarts a crashed worker with
// back-off, relays the cluster bus between workers (plugins/cluster/bus.ts), and on SIGTERM/SIGINT
// asks every worker to finish its in-flight requests, exiting 0 once all have exited.
// The primary opens no database and serves no request.
import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'
import type { LoadedConfig } from '../config/load.js'
import { createLogger } from '../plugins/logging/logger.js'
import { TAG, isMessage, type Message } from '../plugins/cluster/messages.js'

const RESTART_MIN_MS = 500
const RESTART_MAX_MS = 30_000
// A worker that ran this long before crashing starts over at the shortest back-off.
const STABLE_MS = 30_000

interface Pending { origin: Worker, waiting: Set<number> }

export function runPrimary (config: LoadedConfig): void {
  const log: Logger = createLogger(config).child({ logger: 'cluster' })
  const count = config.server.workers
  /** Workers that listen: they get bus deliveries and are waited for. */
  const ready = new Map<number, Worker>()
  const started = new Map<number, number>()
  const pending = new Map<string, Pending>()
  let servedOnce = false
  let stopping = false
  let backoff = RESTART_MIN_MS

  const settle = (key: string, p: Pending): void => {
    if (p.waiting.size > 0) return
    pending.delete(key)
    if (p.origin.isConnected()) p.origin.send({ tag: TAG, kind: 'done', id: Number(key.split(':')[1]) } satisfies Message)
  }

  const relay = (from: Worker, m: Message): void => {
    if (m.kind === 'publish') {
      const others = [...ready.values()].filter(w => w !== from && w.isConnected())
      for (const w of others) {
        w.send({
          tag: TAG, kind: 'deliver', topic: m.topic, payload: m.payload, ...(m.id !== undefined ? { id: m.id, origin: from.id } : {})
        } satisfies Message)
      }
      if (m.id === undefined) return
      const key = `${from.id}:${m.id}`
      const p = { origin: from, waiting: new Set(others.map(w => w.id)) }
      pending.set(key, p)
      settle(key, p)
    } else if (m.kind === 'ack') {
      const key = `${m.origin}:${m.id}`
      const p = pending.get(key)
      if (p === undefined) return
      p.waiting.delete(from.id)
      settle(key, p)
    }
  }

  const fork = (): void => {
    const w = cluster.fork()
    started.set(w.id, Date.now())
    w.on('message', (m: unknown) => { if (isMessage(m)) relay(w, m) })
    w.once('listening', () => {
      ready.set(w.id, w)
      if (!servedOnce) {
        servedOnce = true
        log.info({ workers: count }, 'First worker serves; starting the others')
        for (let i = 1; i < count; i++) fork()
      }
    })
  }

  cluster.on('exit', (w, code, signal) => {
    ready.delete(w.id)
    const ran = Date.now() - (started.get(w.id) ?? Date.now())
    started.delete(w.id)
    for (const [key, p] of pending) {
      if (p.origin === w) pending.delete(key)
      else if (p.waiting.delete(w.id)) settle(key, p)
    }
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info({}, 'All workers finished; exiting')
        process.exit(0)
      }
      return
    }
    if (!servedOnce) {
      // The first worker could not start (it wrote why): retrying would only repeat it.
      process.exit(code ?? 1)
    }
    if (ran >= STABLE_MS) backoff = RESTART_MIN_MS
    const delay = ran >= STABLE_MS ? 0 : backoff
    backoff = Math.min(backoff * 2, RESTART_MAX_MS)
    log.error({
      pid: w.process.pid,
      ...(code !== null ? { code } : {}),
      ...(signal !== null ? { signal } : {}),
      restart_in_ms: delay
    }, 'Worker exited; restarting it')
    setTimeout(() => { if (!stopping) fork() }, delay)
  })

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'Shutting down: workers finish their in-flight requests')
    const workers = Object.values(cluster.workers ?? {}).filter(w => w !== undefined)
    if (workers.length === 0) process.exit(0)
    for (const w of workers) w.process.kill('SIGTERM')
  }
  process.on('SIGTERM', () => { stop('SIGTERM') })
  process.on('SIGINT', () => { stop('SIGINT') })

  log.info({ workers: count, pid: process.pid }, 'Starting workers')
  fork()
}

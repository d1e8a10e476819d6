// Starts Gatehouse: load config (failing loudly on mistakes), build the app, listen, close gracefully.
import { loadConfig } from './config/load.js'
import { ConfigError } from './config/errors.js'
import { buildApp } from './app.js'
import cluster from 'node:cluster'
import { runPrimary } from './cluster/primary.js'
import { DatabaseInUseError } from './plugins/db/lock.js'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.errors) process.stderr.write(`gatehouse: ${line}\n`)
      process.exit(2)
    }
    throw err
  }

  // [server] workers > 1: this process supervises workers (each of which runs the rest of main).
  if (config.server.workers > 1 && cluster.isPrimary) {
    runPrimary(config)
    return
  }

  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    process.stderr.write(`gatehouse: ${startupLine(err)}\n`)
    process.exit(1)
  }

  let closing = false
  const close = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ logger: 'server', signal }, 'Shutting down')
    const force = setTimeout(() => { app.log.error({ logger: 'server' }, 'Forced exit after 10s'); process.exit(1) }, 10_000)
    force.unref()
    // Connections whose last response finishes during shutdown go idle after close() was called:
    // keep closing idle ones so keep-alive clients cannot hold the exit for keep_alive_timeout.
    const idle = setInterval(() => app.server.closeIdleConnections(), 50)
    idle.unref()
    app.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGTERM', () => close('SIGTERM'))
  process.on('SIGINT', () => close('SIGINT'))

  try {
    const address = await app.listen({ port: config.server.httpPort, host: config.server.httpAddr || '0.0.0.0' })
    app.log.info({ logger: 'http.server', address, root_url: config.server.rootUrl, database: config.database.type, ...workerFields() }, 'HTTP Server Listen')
  } catch (err) {
    process.stderr.write(`gatehouse: cannot listen on ${config.server.httpAddr || '0.0.0.0'}:${config.server.httpPort}: ` +
      `${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`)
    await app.close()
    process.exit(1)
  }
}

function workerFields (): { worker?: number, pid?: number } {
  return cluster.worker === undefined ? {} : { worker: cluster.worker.id, pid: process.pid }
}

/** The line a start failure prints: an embedded database held by another process says only that. */
function startupLine (err: unknown): string {
  return err instanceof DatabaseInUseError ? err.message : `failed to start: ${(err as Error).message}`
}

// eslint-disable-next-line no-void -- top-level entry point; main() reports its own failures
void main()

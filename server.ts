// Starts Gatehouse: load config (failing loudly on mistakes), build the app, listen, close gracefully.
import { loadConfig } from './config/load.js'
import { ConfigError } from './config/errors.js'
import { buildApp } from './app.js'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gatehouse: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    process.stderr.write(`gatehouse: failed to start: ${(err as Error).message}\n`)
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
    app.log.info({ logger: 'http.server', address, root_url: config.server.rootUrl, database: config.database.type }, 'HTTP Server Listen')
  } catch (err) {
    process.stderr.write(`gatehouse: cannot listen on ${config.server.httpAddr || '0.0.0.0'}:${config.server.httpPort}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`)
    await app.close()
    process.exit(1)
  }
}

void main()

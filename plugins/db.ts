// The database: opened at start, migrated to the latest schema, closed last.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/connect.js'
import { isConnectionError, OutageMonitor } from './db/outage.js'
import type { Database } from './db/tables.js'
import { describeDatabaseUrl } from '../config/settings.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    database: {
      kind: DatabaseHandle['kind']
      ping: () => Promise<boolean>
      poolStats: DatabaseHandle['poolStats']
      /** Whether `err` is a connection-level failure; if so the outage is noted (logged once). */
      unavailable: (err: unknown) => boolean
    }
  }
}

export interface DbPluginOptions {
  /** An already created PGlite instance (tests clone a migrated one). */
  pglite?: PGlite
}

async function dbPlugin (app: FastifyInstance, opts: DbPluginOptions): Promise<void> {
  const log = app.log.child({ logger: 'sqlstore' })
  const handle = await openDatabase(app.config.database, opts.pglite)
  try {
    await sql`select 1`.execute(handle.db)
  } catch (err) {
    await handle.close()
    const e = err as Error & { errors?: Error[] }
    throw new Error(`database unreachable (${e.errors?.[0]?.message ?? e.message})`)
  }
  try {
    const applied = await migrateToLatest(handle.db)
    if (applied.length > 0) log.info({ migrations: applied.join(',') }, 'Migrations applied')
  } catch (err) {
    await handle.close()
    throw err
  }
  app.decorate('db', handle.db)
  const probe = async (): Promise<boolean> => {
    try {
      await sql`select 1`.execute(handle.db)
      return true
    } catch {
      return false
    }
  }
  const outage = new OutageMonitor(log, probe)
  const unavailable = (err: unknown): boolean => {
    if (!isConnectionError(err)) return false
    outage.failed(err)
    return true
  }
  const ping = async (): Promise<boolean> => {
    try {
      await sql`select 1`.execute(handle.db)
      return true
    } catch (err) {
      unavailable(err)
      return false
    }
  }
  app.decorate('database', { kind: handle.kind, ping, poolStats: handle.poolStats, unavailable })
  app.addHook('onClose', async () => {
    outage.stop()
    await handle.close()
  })
  // Which database holds the data, said at every start: never the password.
  const where = handle.kind === 'postgres' ? describeDatabaseUrl(app.config.database.url) : { path: app.config.database.embeddedDir }
  log.info({ type: handle.kind, ...(opts.pglite !== undefined ? {} : where) }, 'Database ready')
}

export default fp(dbPlugin, { name: 'db', dependencies: ['config'] })

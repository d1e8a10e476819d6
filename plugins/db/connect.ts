// Opens the database the config names: embedded PGlite under [paths] data, or PostgreSQL through pg.
import { mkdirSync } from 'node:fs'
import { Kysely, Migrator, PostgresDialect, type MigrationProvider, type Migration } from 'kysely'
import pg from 'pg'
import type { PGlite } from '@electric-sql/pglite'
import type { Config } from '../../config/settings.js'
import { migrations } from '../../migrations/index.js'
import { PGliteDialect } from './pglite-dialect.js'
import { lockDatabase } from './lock.js'
import type { Database } from './tables.js'

export interface DatabaseHandle {
  db: Kysely<Database>
  kind: 'embedded' | 'postgres'
  /** Pool statistics for /metrics (the embedded database: its one connection). */
  poolStats (): { total: number, idle: number, waiting: number }
  close (): Promise<void>
}

// int8 (count(*), sums) as JS numbers: Gatehouse's counts never approach 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v))

export async function openDatabase (config: Config['database'], injected?: PGlite): Promise<DatabaseHandle> {
  if (config.type === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.maxOpenConn,
      idleTimeoutMillis: 30_000,
      maxLifetimeSeconds: Math.max(1, Math.round(config.connMaxLifetimeMs / 1000)),
      // Bounds every wait for a connection: during an outage a request is answered 503 by then.
      connectionTimeoutMillis: config.connectTimeoutMs,
      keepAlive: true,
      ...(config.sslMode === 'disable' ? {} : { ssl: { rejectUnauthorized: config.sslMode === 'verify-full' || config.sslMode === 'verify-ca' } })
    })
    pool.on('error', () => { /* an idle client died; the pool replaces it */ })
    // A connection reset while a client is checked out is emitted on that client: without a
    // listener it is an uncaught exception that ends the process. The query in flight is rejected
    // with the same error, and the outage is reported from there.
    pool.on('connect', client => { client.on('error', () => {}) })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      kind: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy()
    }
  }
  if (injected !== undefined) {
    // An injected instance (tests) belongs to whoever made it: closing the app leaves it open.
    const dialect = new PGliteDialect(injected, false)
    const db = new Kysely<Database>({ dialect })
    return { db, kind: 'embedded', poolStats: () => dialect.poolStats(), close: () => db.destroy() }
  }
  mkdirSync(config.embeddedDir, { recursive: true })
  // Every opener (server, CLI commands) takes the lock before touching the directory.
  const lock = lockDatabase(config.embeddedDir)
  let pglite: PGlite
  try {
    // Imported here: a PostgreSQL deployment never loads PGlite.
    const { openEmbedded } = await import('./embedded.js')
    pglite = await openEmbedded(config.embeddedDir)
  } catch (err) {
    lock.release()
    throw err
  }
  const dialect = new PGliteDialect(pglite, true)
  const db = new Kysely<Database>({ dialect })
  return {
    db,
    kind: 'embedded',
    poolStats: () => dialect.poolStats(),
    close: async () => {
      try {
        await db.destroy()
      } finally {
        lock.release()
      }
    }
  }
}

const provider: MigrationProvider = { getMigrations: async (): Promise<Record<string, Migration>> => migrations }

/** Applies pending migrations. Kysely's migrator holds an advisory lock, so concurrent starts are safe. */
export async function migrateToLatest (db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'gatehouse_migration', migrationLockTableName: 'gatehouse_migration_lock' })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find(r => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`)
  }
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}

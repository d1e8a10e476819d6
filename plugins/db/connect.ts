// Opens the database the config names: embedded PGlite under [paths] data, or PostgreSQL through pg.
import { mkdirSync } from 'node:fs'
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider, type Migration } from 'kysely'
import pg from 'pg'
import type { PGlite } from '@electric-sql/pglite'
import type { Config } from '../../config/settings.js'
import { migrations } from '../../migrations/index.js'
import { PGliteDialect } from './pglite-dialect.js'
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
      connectionTimeoutMillis: 10_000,
      ...(config.sslMode === 'disable' ? {} : { ssl: { rejectUnauthorized: config.sslMode === 'verify-full' || config.sslMode === 'verify-ca' } })
    })
    pool.on('error', () => { /* an idle client died; the pool replaces it */ })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      kind: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy()
    }
  }
  let pglite = injected
  if (pglite === undefined) {
    mkdirSync(config.embeddedDir, { recursive: true })
    const { PGlite } = await import('@electric-sql/pglite')
    pglite = await PGlite.create(config.embeddedDir)
  }
  // An injected instance (tests) belongs to whoever made it: closing the app leaves it open.
  const dialect = new PGliteDialect(pglite, injected === undefined)
  const db = new Kysely<Database>({ dialect })
  return { db, kind: 'embedded', poolStats: () => dialect.poolStats(), close: () => db.destroy() }
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

export async function ping (db: Kysely<any>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}

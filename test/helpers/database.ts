// A fresh, migrated database per app: a PGlite clone, or (TEST_DATABASE_URL set) a PostgreSQL
// database created from a migrated template. Never a shared database cleaned by hand.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import t from 'tap'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { migrations } from '../../migrations/index.js'
import { migrateToLatest } from '../../plugins/db/connect.js'
import { PGliteDialect } from '../../plugins/db/pglite-dialect.js'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? ''
export const dbKind: 'postgres' | 'embedded' = TEST_DATABASE_URL !== '' ? 'postgres' : 'embedded'

export interface TestDatabase {
  /** For buildApp: either a PGlite instance or a postgres URL. */
  pglite?: PGlite
  url?: string
  drop (): Promise<void>
}

let migratedDump: Promise<Blob> | undefined
let engine: { pgliteWasmModule: WebAssembly.Module, fsBundle: Blob } | undefined

/** PGlite's WebAssembly compiled once per test process, not once per database (~0.6 s each). */
async function pgliteEngine (): Promise<{ pgliteWasmModule: WebAssembly.Module, fsBundle: Blob }> {
  if (engine === undefined) {
    const dist = (file: string): string => createRequire(import.meta.url).resolve(`@electric-sql/pglite/${file}`)
    engine = {
      pgliteWasmModule: await WebAssembly.compile(readFileSync(dist('pglite.wasm'))),
      fsBundle: new Blob([readFileSync(dist('pglite.data'))])
    }
  }
  return engine
}

/**
 * The migrated embedded database as a data-dir tarball, made once per set of migrations and kept
 * in the temp directory: initdb plus migrations cost seconds, loading the tarball half of one.
 */
async function pgliteDump (): Promise<Blob> {
  const file = join(tmpdir(), `gatehouse-${templateName()}.pglite.tar`)
  try {
    return new Blob([await readFile(file)])
  } catch {}
  const base = await PGlite.create()
  const db = new Kysely<any>({ dialect: new PGliteDialect(base, false) })
  await migrateToLatest(db)
  await db.destroy()
  const dump = await base.dumpDataDir('none')
  await base.close()
  // Written aside and renamed: test files racing to make it never read half a file.
  const part = `${file}.${process.pid}.part`
  await writeFile(part, Buffer.from(await dump.arrayBuffer()))
  await rename(part, file)
  return dump
}

function templateName (): string {
  const h = createHash('sha256')
  for (const [name, m] of Object.entries(migrations)) h.update(name).update(String(m.up))
  return `gh_tpl_${h.digest('hex').slice(0, 16)}`
}

function withDatabase (url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function ensureTemplate (admin: pg.Client, name: string): Promise<void> {
  await admin.query('select pg_advisory_lock(4242)')
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (exists.rowCount === 0) {
      await admin.query(`create database "${name}"`)
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(TEST_DATABASE_URL, name), max: 1 }) }) })
      try {
        await migrateToLatest(db)
      } catch (err) {
        await db.destroy()
        await admin.query(`drop database if exists "${name}" with (force)`)
        throw err
      }
      await db.destroy()
    }
  } finally {
    await admin.query('select pg_advisory_unlock(4242)')
  }
}

async function newPglite (): Promise<PGlite> {
  migratedDump ??= pgliteDump()
  // relaxedDurability: the data dir lives in memory, so there is nothing to wait for after a query.
  return await PGlite.create({ loadDataDir: await migratedDump, relaxedDurability: true, ...await pgliteEngine() })
}

/**
 * Embedded databases of finished tests, emptied back to the migrated state: every app table
 * truncated with its identities restarted, which is what a fresh load would hold (migrations
 * insert no rows). Costs milliseconds where loading a data dir costs a second of CPU. A database
 * that cannot be emptied (closed, or stuck in a failed transaction) is closed instead.
 */
const spare: PGlite[] = []
// Open databases keep the process alive: close the spares once the file's tests are done.
t.teardown(async () => { await Promise.all(spare.splice(0).map(p => p.close())) })
let truncateAll: string | undefined

async function recycle (pglite: PGlite): Promise<void> {
  if (pglite.closed) return
  try {
    if (pglite.isInTransaction()) throw new Error('left in a transaction')
    const sql: string = truncateAll ?? await pglite.query<{ sql: string }>(
      `select 'truncate ' || string_agg(format('%I', tablename), ', ') || ' restart identity cascade' as sql
         from pg_tables where schemaname = 'public' and tablename not like 'gatehouse_migration%'`
    ).then(r => r.rows[0]!.sql)
    truncateAll = sql
    await pglite.exec(sql)
    spare.push(pglite)
  } catch {
    await pglite.close()
  }
}

export async function freshDatabase (): Promise<TestDatabase> {
  if (dbKind === 'embedded') {
    const pglite = spare.pop() ?? await newPglite()
    return { pglite, drop: async () => { await recycle(pglite) } }
  }
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  const template = templateName()
  const name = `gh_t_${process.pid}_${randomBytes(4).toString('hex')}`
  try {
    await ensureTemplate(admin, template)
    await admin.query(`create database "${name}" template "${template}"`)
  } finally {
    await admin.end()
  }
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await c.connect()
      try {
        await c.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await c.end()
      }
    }
  }
}

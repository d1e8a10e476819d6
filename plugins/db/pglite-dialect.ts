// Kysely dialect for embedded PGlite: one in-process connection, handed out under a mutex
// so a transaction owns it until it commits.
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter,
  type Driver, type Kysely, type QueryCompiler, type QueryResult
} from 'kysely'

class Mutex {
  private tail: Promise<void> = Promise.resolve()
  /** Callers holding or waiting for the lock: what /metrics reports as the connection's use. */
  users = 0
  lock (): Promise<() => void> {
    this.users++
    let release!: () => void
    const next = new Promise<void>(resolve => { release = () => { this.users--; resolve() } })
    const acquired = this.tail.then(() => release)
    this.tail = this.tail.then(() => next)
    return acquired
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor (private readonly pg: PGlite) {}

  async executeQuery<R> (compiled: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[])
    const affected = res.affectedRows
    return {
      rows: res.rows,
      ...(affected !== undefined && compiled.query.kind !== 'SelectQueryNode' ? { numAffectedRows: BigInt(affected) } : {})
    }
  }

  async * streamQuery<R> (): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded database')
  }
}

class PGliteDriver implements Driver {
  readonly mutex = new Mutex()
  private readonly connection: PGliteConnection
  private readonly releases = new WeakMap<DatabaseConnection, () => void>()

  constructor (private readonly pg: PGlite, private readonly closeOnDestroy: boolean) {
    this.connection = new PGliteConnection(pg)
  }

  async init (): Promise<void> { await this.pg.waitReady }

  async acquireConnection (): Promise<DatabaseConnection> {
    const release = await this.mutex.lock()
    this.releases.set(this.connection, release)
    return this.connection
  }

  async beginTransaction (c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('begin')) }
  async commitTransaction (c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('commit')) }
  async rollbackTransaction (c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('rollback')) }

  async releaseConnection (c: DatabaseConnection): Promise<void> {
    const release = this.releases.get(c)
    this.releases.delete(c)
    release?.()
  }

  async destroy (): Promise<void> {
    if (this.closeOnDestroy && !this.pg.closed) await this.pg.close()
  }
}

export class PGliteDialect implements Dialect {
  private readonly driver: PGliteDriver
  constructor (pg: PGlite, closeOnDestroy = true) { this.driver = new PGliteDriver(pg, closeOnDestroy) }

  /** The one connection as a pool of one: busy while a query or transaction holds it, the rest wait. */
  poolStats (): { total: number, idle: number, waiting: number } {
    const users = this.driver.mutex.users
    return { total: 1, idle: users === 0 ? 1 : 0, waiting: Math.max(0, users - 1) }
  }

  createAdapter (): DialectAdapter { return new PostgresAdapter() }
  createDriver (): Driver { return this.driver }
  createQueryCompiler (): QueryCompiler { return new PostgresQueryCompiler() }
  createIntrospector (db: Kysely<unknown>): DatabaseIntrospector { return new PostgresIntrospector(db) }
}

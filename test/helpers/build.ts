// build(t, config): a Gatehouse app on a fresh database, closed (and its database dropped) on teardown.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type tap from 'tap'
import { buildApp, type BuildOptions } from '../../app.js'
import { loadConfig, type LoadedConfig } from '../../config/load.js'
import { freshDatabase, dbKind, type TestDatabase } from './database.js'

export { dbKind }

type Overrides = Record<string, Record<string, string | number | boolean>>

export interface Built {
  app: FastifyInstance
  config: LoadedConfig
  /** Every log line written so far (logfmt text unless [log.console] format = json). */
  logs: string[]
  /** A directory removed on teardown ([paths] data points here). */
  dir: string
  /** The PostgreSQL database URL (TEST_DATABASE_URL runs); undefined on the embedded database. */
  databaseUrl?: string
}

export interface BuildExtras {
  /** Plugin options buildApp passes on (e.g. Live's shortened timings). */
  app?: Pick<BuildOptions, 'live' | 'onRoute'>
  /**
   * Serve from another app's database (two instances of one deployment). PostgreSQL only: an
   * embedded database cannot be opened by two apps, so there the app gets a fresh one.
   */
  sameDatabaseAs?: Built
}

/** The `t` a `t.test(name, t => …)` callback receives. */
export type TestContext = Parameters<Parameters<typeof tap.test>[0]>[0]

interface Teardown { teardown: (fn: () => unknown) => void }

export async function build (t: Teardown, overrides: Overrides = {}, env: NodeJS.ProcessEnv = {}, extras: BuildExtras = {}): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'))
  const shared = extras.sameDatabaseAs?.databaseUrl
  const database = shared !== undefined ? { url: shared, drop: async () => {} } as TestDatabase : await freshDatabase()
  const config = loadConfig({
    argv: [],
    cwd: dir,
    env: { ...env, ...(database.url !== undefined ? { DATABASE_URL: database.url } : {}) },
    overrides: { paths: { data: dir }, log: { level: 'debug' }, ...overrides }
  })
  const logs: string[] = []
  const app = await buildApp(config, {
    logSink: { write: (s: string) => { logs.push(s) } },
    ...(database.pglite !== undefined ? { pglite: database.pglite } : {}),
    ...extras.app
  })
  t.teardown(async () => {
    await app.close()
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  })
  return { app, config, logs, dir, ...(database.url !== undefined ? { databaseUrl: database.url } : {}) }
}

export type App = FastifyInstance

/** A request as `authorization` (default: the admin), with any other headers, and a JSON body if given. */
export async function api (app: App, method: string, url: string, payload?: unknown, authorization = ADMIN, headers: Record<string, string> = {}) {
  return app.inject({ method: method as 'GET', url, headers: { authorization, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) })
}

export function basic (user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
}

export const ADMIN = basic('admin', 'admin')

/** The grafana_session cookie value from a response, if it set one. */
export function sessionCookie (res: { cookies: Array<{ name: string, value: string }> }): string | undefined {
  return res.cookies.find(c => c.name === 'grafana_session')?.value
}

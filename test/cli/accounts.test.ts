// `gatehouse admin reset-admin-password` and `serviceaccounts create-token` as real processes on
// the database a server uses (a data dir on the embedded database, a fresh one on PostgreSQL).
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { PGlite } from '@electric-sql/pglite'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config/load.js'
import { dbKind, freshDatabase } from '../helpers/database.js'
import { basic, sessionCookie } from '../helpers/build.js'
import { runCli } from '../helpers/cli.js'

// Real processes opening a database: minutes on a busy machine, seconds on an idle one.
t.setTimeout(1_200_000)

const dir = mkdtempSync(join(tmpdir(), 'gh-cli-db-'))
// Embedded: the data dir the CLI creates. PostgreSQL: a fresh database.
const database = dbKind === 'postgres' ? await freshDatabase() : undefined
// The server and the CLI find the same database through the same settings.
const env: Record<string, string> = {
  GF_PATHS_DATA: dir, GF_SECURITY_SECRET_KEY: 'cli-test-secret', ...(database?.url !== undefined ? { DATABASE_URL: database.url } : {})
}
t.teardown(async () => { await database?.drop(); rmSync(dir, { recursive: true, force: true }) })

/**
 * A server on that database, closed before a CLI process opens an embedded one. The test opens
 * the PGlite itself: on a busy machine opening it can outlast a plugin's start-up timeout.
 */
async function server (t: { teardown: (fn: () => unknown) => void }): Promise<{ app: FastifyInstance, close: () => Promise<void> }> {
  const config = loadConfig({ argv: [], env, cwd: dir })
  const pglite = config.database.type === 'embedded' ? await PGlite.create(config.database.embeddedDir) : undefined
  const app = await buildApp(config, { logSink: { write: () => {} }, ...(pglite !== undefined ? { pglite } : {}) })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await app.close()
    await pglite?.close()
  }
  t.teardown(close)
  return { app, close }
}

t.before(async () => {
  // Also makes the embedded data dir, as an operator's first `gatehouse migrate` would.
  const r = await runCli(['migrate'], env)
  t.equal(r.code, 0, r.stderr)
  t.match(r.stdout, /^(applied: 0001_users_orgs, .*|database is up to date)\n$/)
})

t.test('reset-admin-password sets the password and signs out the admin\'s sessions', async t => {
  const { app: before, close: closeBefore } = await server(t)
  const login = await before.inject({ method: 'POST', url: '/login', payload: { user: 'admin', password: 'admin' } })
  const cookie = sessionCookie(login)!
  t.equal((await before.inject({ url: '/api/user', cookies: { grafana_session: cookie } })).statusCode, 200)
  await closeBefore()

  const r = await runCli(['admin', 'reset-admin-password', '--password-from-stdin'], env, 'n3w-passw0rd\n')
  t.equal(r.stderr, '')
  t.equal(r.code, 0)
  t.equal(r.stdout, 'Admin password changed successfully for "admin"; its sessions are signed out\n')

  const { app: after, close: closeAfter } = await server(t)
  t.equal((await after.inject({ url: '/api/user', cookies: { grafana_session: cookie } })).statusCode, 401, 'the old session is gone')
  t.equal((await after.inject({ url: '/api/org', headers: { authorization: basic('admin', 'admin') } })).statusCode, 401)
  t.equal((await after.inject({ url: '/api/org', headers: { authorization: basic('admin', 'n3w-passw0rd') } })).statusCode, 200)
  await closeAfter()

  const short = await runCli(['admin', 'reset-admin-password', 'abc'], env)
  t.equal(short.code, 1)
  t.match(short.stderr, /^gatehouse: .*password.*short/i)
})

t.test('create-token creates the service account once and prints a working token each time', async t => {
  const first = await runCli(['serviceaccounts', 'create-token', '--name', 'ci-bot', '--role', 'Editor', '--ttl', '30d'], env)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}\n$/)
  t.match(first.stderr, /^created service account "ci-bot" \(id \d+, org 1, Editor\)/)
  const second = await runCli(['serviceaccounts', 'create-token', '--name', 'ci-bot'], env)
  t.equal(second.code, 0, second.stderr)
  t.match(second.stderr, /^using service account "ci-bot"/)
  const missingOrg = await runCli(['serviceaccounts', 'create-token', '--name', 'ci-bot', '--org', '42'], env)
  t.equal(missingOrg.code, 1)

  const { app } = await server(t)
  for (const token of [first.stdout.trim(), second.stdout.trim()]) {
    const res = await app.inject({ url: '/api/org', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 200)
  }
  const search = await app.inject({ url: '/api/serviceaccounts/search?query=ci-bot', headers: { authorization: basic('admin', 'n3w-passw0rd') } })
  t.match(search.json(), { totalCount: 1, serviceAccounts: [{ name: 'ci-bot', role: 'Editor', tokens: 2 }] })
})

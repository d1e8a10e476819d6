// `gatehouse migrate` as a process: a failing migration is named, with the database's reason.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { dbKind, TEST_DATABASE_URL } from '../helpers/database.js'
import { runCli } from '../helpers/cli.js'

// Real processes opening a database: minutes on a busy machine, seconds on an idle one.
t.setTimeout(1_200_000)

/** An empty database (not the migrated template) where a table of migration 0002 already exists. */
async function databaseWithAConflict (t: { teardown: (fn: () => unknown) => void }): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'gh-cli-migrate-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const conflict = 'create table api_key (id int)'
  if (dbKind === 'embedded') {
    const pglite = await PGlite.create(join(dir, 'db'))
    await pglite.exec(conflict)
    await pglite.close()
    return { GF_PATHS_DATA: dir }
  }
  const name = `gh_cli_migrate_${process.pid}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`drop database if exists ${name}`)
  await admin.query(`create database ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const db = new pg.Client({ connectionString: url.toString() })
  await db.connect()
  await db.query(conflict)
  await db.end()
  t.teardown(async () => { await admin.query(`drop database if exists ${name} with (force)`); await admin.end() })
  return { GF_PATHS_DATA: dir, DATABASE_URL: url.toString() }
}

t.test('a failing migration is named, and the command exits 1', async t => {
  const env = await databaseWithAConflict(t)
  const r = await runCli(['migrate'], env)
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.match(r.stderr, /^gatehouse: migration 0002_api_keys failed: relation "api_key" already exists\n$/)
})

t.test('secrets rotate on a database no server has started on yet migrates it first, and exits 0', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-cli-rotate-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // Embedded only: on PostgreSQL the suite's databases are migrated templates, never empty ones.
  if (dbKind !== 'embedded') return t.pass('embedded database only')
  const r = await runCli(['secrets', 'rotate'], { GF_PATHS_DATA: dir })
  t.equal(r.stderr, '')
  t.equal(r.code, 0)
  t.equal(r.stdout, 'secrets rotate: 0 of 0 data key(s) re-encrypted under [security] secret_key\n')
})

// How the embedded database (PGlite) is opened: its memory settings, and the seed that spares a
// first start the in-process initdb.
//
// Measured on an idle instance (issue 14): shared_buffers at PostgreSQL's default 128 MB grows the
// WebAssembly memory past its initial 128 MB and keeps it resident (~170 MB of RSS); Gatehouse's
// tables fit many times over in 16 MB. On a first start, initdb runs in its own WebAssembly
// instance whose memory (~440 MB) stays referenced for the life of the process, and it costs
// about 40% of the start: copying an initdb'd cluster made at build time (`npm run build` writes
// it beside dist/) avoids both. The seed is a plain directory copied file by file, not a tarball
// given to PGlite's loadDataDir: unpacking one through PGlite's in-memory file system kept ~130 MB
// of RSS for the life of the process and cost ~500 ms of CPU more than the copy (~150 ms).
// Without the seed (running from source before a build), the first start runs initdb as before.
//
// PostgreSQL itself runs as WebAssembly compiled by V8's baseline compiler only (Liftoff). With
// V8's default tiering, the hot functions are recompiled by TurboFan on V8's background threads,
// whose freed compile memory stays in those threads' malloc arenas: ~95 MB of idle RSS after a
// first start, ~115 MB after a minute of load. The cost: ~5-10% fewer requests/s on a
// database-bound route (GET /api/search, API key, same-run wrk rounds); the cached hot paths
// (proxy, key and basic identities) do not run SQL per request. docs/operations.md has the numbers.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { PGlite } from '@electric-sql/pglite'
import { homePath } from '../../config/load.js'

const SHARED_BUFFERS = '16MB'

function pgliteVersion (): string {
  // package.json is not in the package's exports: find it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version
}

/** The seed cluster (a directory) for this PGlite version: another version's cluster must never be loaded. */
export function seedPath (): string {
  return join(homePath(), 'dist', `pglite-seed-${pgliteVersion()}`)
}

function startParams (): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams
  return [...defaults, '-c', `shared_buffers=${SHARED_BUFFERS}`]
}

export async function openEmbedded (dir: string): Promise<PGlite> {
  const seed = seedPath()
  if (!existsSync(join(dir, 'PG_VERSION')) && existsSync(join(seed, 'PG_VERSION'))) copySeed(seed, dir)
  baselineWasmOnly()
  return PGlite.create(dir, { startParams: startParams() })
}

/**
 * V8 reads the flag when it compiles a module, so setting it before PGlite compiles PostgreSQL's is
 * enough; Gatehouse has no other WebAssembly. `node --no-liftoff-only` keeps V8's tiering.
 */
function baselineWasmOnly (): void {
  if (!process.execArgv.includes('--no-liftoff-only')) setFlagsFromString('--liftoff-only')
}

/** PG_VERSION last: a copy cut short leaves the directory "empty", and the next start copies again. */
function copySeed (seed: string, dir: string): void {
  copyTree(seed, dir, 'PG_VERSION')
  copyFileSync(join(seed, 'PG_VERSION'), join(dir, 'PG_VERSION'))
}

// ~1,000 files: fs.cpSync's per-file checks (stat of source and target, filter) cost ~20% more CPU than this.
function copyTree (from: string, to: string, skip?: string): void {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === skip) continue
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name))
    else copyFileSync(join(from, entry.name), join(to, entry.name))
  }
}

/** Writes the seed (an empty, initdb'd cluster) unless it exists: run by `npm run build`. */
export async function writeSeed (): Promise<string> {
  const path = seedPath()
  if (existsSync(join(path, 'PG_VERSION'))) return path
  const part = `${path}.${process.pid}.part`
  rmSync(part, { recursive: true, force: true })
  baselineWasmOnly()
  const pglite = await PGlite.create(part, { startParams: startParams() })
  await pglite.close()
  try {
    renameSync(part, path)
  } catch (err) {
    // A concurrent build renamed its own first: keep that one.
    rmSync(part, { recursive: true, force: true })
    if (!existsSync(join(path, 'PG_VERSION'))) throw err
  }
  return path
}

// How the embedded database (PGlite) is opened: its memory settings, and the seed that spares a
// first start the in-process initdb.
//
// Measured on an idle instance (issue 14): shared_buffers at PostgreSQL's default 128 MB grows the
// WebAssembly memory past its initial 128 MB and keeps it resident (~170 MB of RSS); Gatehouse's
// tables fit many times over in 16 MB. On a first start, initdb runs in its own WebAssembly
// instance whose memory (~440 MB) stays referenced for the life of the process, and it costs
// about 40% of the start: loading an initdb'd cluster from a tarball made at build time
// (`npm run build` writes it beside dist/) avoids both. Without the tarball (running from source
// before a build), the first start runs initdb as before.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { homePath } from '../../config/load.js'

const SHARED_BUFFERS = '16MB'

function pgliteVersion (): string {
  // package.json is not in the package's exports: find it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version
}

/** The seed tarball for this PGlite version: another version's cluster must never be loaded. */
export function seedPath (): string {
  return join(homePath(), 'dist', `pglite-seed-${pgliteVersion()}.tgz`)
}

function startParams (): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams
  return [...defaults, '-c', `shared_buffers=${SHARED_BUFFERS}`]
}

export async function openEmbedded (dir: string): Promise<PGlite> {
  const empty = !existsSync(join(dir, 'PG_VERSION'))
  const seed = empty ? seedPath() : ''
  const loadDataDir = empty && existsSync(seed) ? new Blob([readFileSync(seed)]) : undefined
  return PGlite.create(dir, { startParams: startParams(), ...(loadDataDir !== undefined ? { loadDataDir } : {}) })
}

/** Writes the seed (an empty, initdb'd cluster) unless it exists: run by `npm run build`. */
export async function writeSeed (): Promise<string> {
  const path = seedPath()
  if (existsSync(path)) return path
  const pglite = await PGlite.create({ startParams: startParams() })
  const tarball = await pglite.dumpDataDir('gzip')
  await pglite.close()
  writeFileSync(`${path}.${process.pid}.part`, Buffer.from(await tarball.arrayBuffer()))
  renameSync(`${path}.${process.pid}.part`, path)
  return path
}

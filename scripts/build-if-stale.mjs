// `npm run build` unless dist/ is already current, for `npm test` and the tests that run the built
// server or CLI. Several can ask at once (two suites side by side, test files in parallel): one
// builds under a lock while the others wait, because a process reading dist/ while tsc rewrites it
// loads half-written files.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const SOURCE_DIRS = ['cli', 'cluster', 'config', 'plugins', 'routes', 'schemas', 'migrations', 'bench', 'types']
const LOCK = join(ROOT, 'dist.build-lock')
// tsc rewrites every output file and the seed is written after it: dist/ is current when both exist
// and the compiled server is newer than every source.
const SERVER = join(ROOT, 'dist', 'server.js')

function newestSource () {
  let newest = Math.max(statSync(join(ROOT, 'tsconfig.json')).mtimeMs, statSync(join(ROOT, 'package-lock.json')).mtimeMs)
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs)
    }
  }
  for (const entry of readdirSync(ROOT)) if (entry.endsWith('.ts')) newest = Math.max(newest, statSync(join(ROOT, entry)).mtimeMs)
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) visit(join(ROOT, dir))
  return newest
}

const seedBuilt = () => existsSync(join(ROOT, 'dist')) && readdirSync(join(ROOT, 'dist')).some(f => f.startsWith('pglite-seed-'))
const built = () => existsSync(SERVER) && statSync(SERVER).mtimeMs >= newestSource() && seedBuilt()
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

const deadline = Date.now() + 300_000
while (existsSync(LOCK) || !built()) {
  try {
    mkdirSync(LOCK)
  } catch {
    if (Date.now() > deadline) {
      process.stderr.write(`dist/ is still being built after 5 minutes; remove ${LOCK} if no build runs\n`)
      process.exit(1)
    }
    sleep(250)
    continue
  }
  try {
    if (!built()) {
      const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })
      if (result.status !== 0) process.exit(result.status ?? 1)
    }
  } finally {
    rmdirSync(LOCK)
  }
}

// runCli(): the built `gatehouse` command (dist/cli.js, the package's bin) as a real process.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..', '..')

let built = false
const SOURCE_DIRS = ['cli', 'cluster', 'config', 'plugins', 'routes', 'schemas', 'migrations', 'bench', 'types']
const LOCK = join(ROOT, 'dist.build-lock')

function newestSource (): number {
  let newest = statSync(join(ROOT, 'tsconfig.json')).mtimeMs
  const visit = (path: string) => {
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

// tsc rewrites every output file: dist is current when its last-written file is newer than every source.
const STAMP = join(ROOT, 'dist', 'server.js')
const isCurrent = () => !existsSync(LOCK) && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Makes sure dist/ (the compiled files operators run) is current. `npm test` builds before tap starts,
 * so this only builds when a test file runs alone after a source change. Test files run in parallel:
 * one builds under a lock while the others wait, because a process reading dist/ while tsc rewrites
 * it loads half-written files.
 */
export function buildOnce (): void {
  if (built) return
  const deadline = Date.now() + 300_000
  while (!isCurrent()) {
    try {
      mkdirSync(LOCK)
    } catch {
      if (Date.now() > deadline) throw new Error(`dist/ is still being built (remove ${LOCK} if no build runs)`)
      sleep(250)
      continue
    }
    try {
      if (!(existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource())) {
        const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' })
        if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`)
      }
    } finally {
      rmdirSync(LOCK)
    }
  }
  built = true
}

export interface CliResult { code: number | null, stdout: string, stderr: string }

export async function runCli (args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  buildOnce()
  // Only what the test gives: no GF_ variable of the machine running the tests leaks in.
  const proc = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', d => { stdout += d })
  proc.stderr.on('data', d => { stderr += d })
  proc.stdin.end(stdin ?? '')
  const code = await new Promise<number | null>(resolve => proc.on('exit', resolve))
  return { code, stdout, stderr }
}

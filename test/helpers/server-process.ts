// The real server process, as an operator runs it: `node dist/server.js` (built once per test file)
// with only the GF_ variables a test gives, on a fresh data directory.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildOnce, ROOT } from './cli.js'

export async function freePort (): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)) })
  })
}

export function startServer (env: Record<string, string>, prefix = 'gh-server-') {
  buildOnce()
  const data = mkdtempSync(join(tmpdir(), prefix))
  const proc = spawn(process.execPath, ['dist/server.js'],
    { cwd: ROOT, env: { PATH: process.env.PATH, GF_PATHS_DATA: data, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', d => { stdout += d })
  proc.stderr.on('data', d => { stderr += d })
  const exited = new Promise<number | null>(resolve => proc.on('exit', code => resolve(code)))
  return { proc, exited, out: () => stdout, err: () => stderr, cleanup: () => { proc.kill('SIGKILL'); rmSync(data, { recursive: true, force: true }) } }
}

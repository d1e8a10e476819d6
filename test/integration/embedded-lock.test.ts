// The embedded database has one owner: a second process on the same [paths] data refuses to start,
// a lock left by a killed process is taken over, and CLI commands obey the same lock.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestContext } from '../helpers/build.js'

const ROOT = resolve(import.meta.dirname, '../..')
// Real processes starting real databases: minutes on a loaded two-core machine.
t.setTimeout(900_000)

async function freePort (): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
  })
}

interface Proc { proc: ChildProcess, exited: Promise<number | null>, out: () => string, err: () => string }

function run (script: string, args: string[], env: Record<string, string>): Proc {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout!.on('data', d => { stdout += d })
  proc.stderr!.on('data', d => { stderr += d })
  const exited = new Promise<number | null>(resolve => proc.on('exit', code => resolve(code)))
  return { proc, exited, out: () => stdout, err: () => stderr }
}

async function startServer (data: string, t: TestContext): Promise<Proc & { port: number }> {
  const port = await freePort()
  const s = run('server.ts', [], { GF_PATHS_DATA: data, GF_SERVER_HTTP_PORT: String(port), GF_SERVER_HTTP_ADDR: '127.0.0.1' })
  t.teardown(() => { s.proc.kill('SIGKILL') })
  return { ...s, port }
}

async function healthy (port: number, exited: Promise<unknown>): Promise<boolean> {
  let done = false
  // eslint-disable-next-line no-void -- deliberately not awaited: it only stops the polling loop once the process exits
  void exited.then(() => { done = true })
  // eslint-disable-next-line no-unmodified-loop-condition -- done is set by the exited callback while the loop awaits
  for (const end = Date.now() + 240_000; Date.now() < end && !done;) {
    try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return true } catch {}
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

const dataDir = (t: TestContext): string => {
  const d = mkdtempSync(join(tmpdir(), 'gh-lock-'))
  t.teardown(() => rmSync(d, { recursive: true, force: true }))
  return d
}

t.test('a second server on the same data directory exits 1 naming the directory and the PID that holds it', async t => {
  const data = dataDir(t)
  const first = await startServer(data, t)
  t.ok(await healthy(first.port, first.exited), 'the first server is healthy')
  const second = await startServer(data, t)
  t.equal(await second.exited, 1)
  t.equal(second.err(), `gatehouse: the embedded database in ${join(data, 'db')} is in use by process ${first.proc.pid}\n`)
  t.equal((await fetch(`http://127.0.0.1:${first.port}/api/health`)).status, 200, 'the first server keeps serving')
})

t.test('a lock left by a killed process is taken over without manual steps', async t => {
  const data = dataDir(t)
  const first = await startServer(data, t)
  t.ok(await healthy(first.port, first.exited))
  first.proc.kill('SIGKILL')
  await first.exited
  t.ok(existsSync(join(data, 'db.lock')), 'kill -9 left the lock behind')
  const next = await startServer(data, t)
  t.ok(await healthy(next.port, next.exited), 'the next server starts')
  next.proc.kill('SIGTERM')
  t.equal(await next.exited, 0)
  t.notOk(existsSync(join(data, 'db.lock')), 'a clean stop releases the lock')
})

t.test('CLI commands that open the database obey the same lock', async t => {
  const data = dataDir(t)
  const server = await startServer(data, t)
  t.ok(await healthy(server.port, server.exited))
  const migrate = run('cli.ts', ['migrate'], { GF_PATHS_DATA: data })
  t.equal(await migrate.exited, 1)
  t.equal(migrate.err(), `gatehouse: the embedded database in ${join(data, 'db')} is in use by process ${server.proc.pid}\n`)
  server.proc.kill('SIGTERM')
  await server.exited
  const after = run('cli.ts', ['migrate'], { GF_PATHS_DATA: data })
  t.equal(await after.exited, 0, 'once the server is gone, migrate runs')
  t.equal(after.out(), 'database is up to date\n')
})

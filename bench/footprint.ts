// Rows 4–6 of npm run bench: idle RSS and first start on an empty data dir, embedded and PostgreSQL.
// Starts `node dist/server.js` with GF_ env on a temp dir, polls
// /api/health, makes a few requests, then reads VmRSS from /proc/<pid>/status twice: 2 s after the
// last request (what start-up left), and idle, 12 s after it. V8 gives back the young generation
// that start-up grew to its maximum (16 MB semi-spaces, ~25 MB of RSS) only when its memory reducer
// runs, ~8 s after allocation stops; the scrypt thread ends after 5 s idle. The baseline is a plain
// Node http server measured the same way.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from './proxy.js'

const ROOT = resolve(import.meta.dirname, '..', '..')

export interface Footprint { startMs: number[], rssMb: number, rssAfterStartMb: number }

export interface Server { proc: ChildProcess, base: string, dir: string, stop: () => Promise<void> }

/** Starts Gatehouse on a fresh data dir (and `databaseUrl` when given); resolves at the first healthy answer. */
export async function startGatehouse (env: Record<string, string>, databaseUrl?: string): Promise<Server & { startMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
  const port = await freePort()
  const started = performance.now()
  const proc = spawn(process.execPath, ['dist/server.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      GF_PATHS_DATA: dir,
      GF_SERVER_HTTP_PORT: String(port),
      GF_SERVER_HTTP_ADDR: '127.0.0.1',
      GF_LOG_LEVEL: 'warn',
      ...(databaseUrl !== undefined ? { GF_DATABASE_TYPE: 'postgres', GF_DATABASE_URL: databaseUrl } : { GF_DATABASE_TYPE: 'embedded' }),
      ...env
    }
  })
  let exited = false
  proc.on('exit', () => { exited = true })
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    if (exited) throw new Error(`gatehouse exited during start (${databaseUrl === undefined ? 'embedded' : 'postgres'})`)
    try { if ((await fetch(`${base}/api/health`)).ok) break } catch { /* not yet */ }
    if (performance.now() - started > 120_000) throw new Error(`${base}/api/health did not come up`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const startMs = performance.now() - started
  const stop = async () => {
    if (!exited) {
      proc.kill('SIGTERM')
      await new Promise(resolve => proc.once('exit', resolve))
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return { proc, base, dir, startMs, stop }
}

const IDLE_MS = 12_000
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** A plain Node http server answering a few requests, measured like Gatehouse: [2 s, idle] MB. */
export async function plainNodeRss (): Promise<[number, number]> {
  const port = await freePort()
  const server = `require('node:http').createServer((req, res) => res.end('{}')).listen(${port}, '127.0.0.1')`
  const proc = spawn(process.execPath, ['-e', server], { stdio: 'ignore' })
  try {
    for (let i = 0; ; i++) {
      try { await (await fetch(`http://127.0.0.1:${port}/`)).text(); break } catch (err) { if (i > 200) throw err }
      await sleep(20)
    }
    for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text()
    await sleep(2000)
    const early = rssMb(proc.pid!)
    await sleep(IDLE_MS - 2000)
    return [early, rssMb(proc.pid!)]
  } finally {
    proc.kill('SIGTERM')
  }
}

export function rssMb (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m === null ? NaN : Number(m[1]) / 1024
}

/** 3 starts on an empty data dir (a fresh database each for PostgreSQL), then idle RSS after a few requests. */
export async function measureFootprint (freshDatabase?: () => Promise<string>): Promise<Footprint> {
  const startMs: number[] = []
  let rss = NaN
  let rssAfterStart = NaN
  for (let i = 0; i < 3; i++) {
    const gh = await startGatehouse({}, freshDatabase === undefined ? undefined : await freshDatabase())
    startMs.push(gh.startMs)
    if (i === 2) {
      const admin = { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') }
      for (const path of ['/api/health', '/api/org', '/api/user', '/api/datasources', '/api/search']) {
        await (await fetch(gh.base + path, { headers: admin })).text()
      }
      await sleep(2000)
      rssAfterStart = rssMb(gh.proc.pid!)
      await sleep(IDLE_MS - 2000)
      rss = rssMb(gh.proc.pid!)
    }
    await gh.stop()
  }
  return { startMs, rssMb: rss, rssAfterStartMb: rssAfterStart }
}

// Footprint: idle RSS after start plus a few requests, and the time from spawn to a healthy
// /api/health, for the built server (dist/server.js) on both databases. `measureFootprint()` is
// what bench/run.ts calls; run alone (`node dist/bench/footprint.js`) it prints a table.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'

const ROOT = resolve(import.meta.dirname, '..', '..')

export interface FootprintRow {
  database: 'embedded' | 'postgres'
  /** Which start: the first on an empty data directory / database, then restarts. */
  start: number
  startMs: number
  idleRssMb: number
}

async function freePort (): Promise<number> {
  return new Promise(resolve => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
  })
}

function rssMb (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m === null ? NaN : Math.round(Number(m[1]) / 1024)
}

async function once (env: Record<string, string>, database: FootprintRow['database'], start: number): Promise<FootprintRow> {
  const port = await freePort()
  const began = performance.now()
  const proc = spawn(process.execPath, ['--expose-gc', 'dist/server.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, GF_SERVER_HTTP_PORT: String(port), GF_SERVER_HTTP_ADDR: '127.0.0.1', GF_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const exited = new Promise(resolve => proc.on('exit', resolve))
  try {
    const base = `http://127.0.0.1:${port}`
    for (;;) {
      try { if ((await fetch(`${base}/api/health`)).ok) break } catch {}
      if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`)
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const startMs = Math.round(performance.now() - began)
    const auth = { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') }
    for (const path of ['/api/org', '/api/datasources', '/api/teams/search', '/api/health', '/api/user']) {
      await (await fetch(base + path, { headers: auth })).arrayBuffer()
    }
    await new Promise(resolve => setTimeout(resolve, 2_000))
    return { database, start, startMs, idleRssMb: rssMb(proc.pid!) }
  } finally {
    proc.kill('SIGTERM')
    await exited
  }
}

/** Three starts on each database (the first on an empty one); PostgreSQL only when `postgresUrl` is given. */
export async function measureFootprint (opts: { starts?: number, postgresUrl?: string } = {}): Promise<FootprintRow[]> {
  const starts = opts.starts ?? 3
  const rows: FootprintRow[] = []
  const data = mkdtempSync(join(tmpdir(), 'gh-footprint-'))
  try {
    for (let i = 1; i <= starts; i++) rows.push(await once({ GF_PATHS_DATA: data }, 'embedded', i))
  } finally {
    rmSync(data, { recursive: true, force: true })
  }
  if (opts.postgresUrl !== undefined && opts.postgresUrl !== '') {
    const name = `gh_footprint_${process.pid}`
    const admin = new pg.Client({ connectionString: opts.postgresUrl })
    await admin.connect()
    await admin.query(`create database "${name}"`)
    const url = new URL(opts.postgresUrl)
    url.pathname = `/${name}`
    const pgData = mkdtempSync(join(tmpdir(), 'gh-footprint-'))
    try {
      for (let i = 1; i <= starts; i++) rows.push(await once({ GF_PATHS_DATA: pgData, GF_DATABASE_URL: url.toString() }, 'postgres', i))
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
      rmSync(pgData, { recursive: true, force: true })
    }
  }
  return rows
}

export function printFootprint (rows: FootprintRow[]): void {
  process.stdout.write('| database | start | to healthy | idle RSS |\n|---|---|---|---|\n')
  for (const r of rows) {
    process.stdout.write(`| ${r.database} | ${r.start === 1 ? 'first (empty)' : `restart ${r.start - 1}`} | ${r.startMs} ms | ${r.idleRssMb} MB |\n`)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  printFootprint(await measureFootprint({ postgresUrl: process.env.FOOTPRINT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' }))
}

// npm run bench: throughput scenarios against real processes on 127.0.0.1, reported as ratios.
// Each server runs in its own process so the load generator does not share its event loop.
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadGenerator, proxyBench } from './proxy.js'
import { LIVE_DEFAULTS, liveBench, printLive } from './live.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const children: ChildProcess[] = []

function start (script: string, env: Record<string, string>): Promise<{ port: number }> {
  return new Promise((res, rej) => {
    const proc = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(proc)
    let out = ''
    proc.stdout!.on('data', d => {
      out += d
      const m = /listening (\d+)/.exec(out) ?? /HTTP Server Listen" address=http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m !== null) res({ port: Number(m[1]) })
    })
    proc.on('exit', code => rej(new Error(`${script} exited ${code}: ${out}`)))
  })
}

async function load (url: string, headers: Record<string, string> = {}): Promise<number> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers }) // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  return r.requests.average
}

async function main (): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
  try {
    const hello = await start('dist/bench/hello.js', { PORT: '0' })
    const gh = await start('dist/server.js', { GF_PATHS_DATA: data, GF_SERVER_HTTP_PORT: '0', GF_SERVER_HTTP_ADDR: '127.0.0.1', GF_LOG_LEVEL: 'info', GF_METRICS_ENABLED: 'true' })
    const base = `http://127.0.0.1:${gh.port}`
    const admin = 'Basic ' + Buffer.from('admin:admin').toString('base64')
    const created = await fetch(`${base}/api/auth/keys`, { method: 'POST', headers: { authorization: admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', role: 'Viewer' }) })
    const { key } = await created.json() as { key: string }

    const rows: Array<[string, number]> = []
    rows.push(['bare Fastify hello (GET /)', await load(`http://127.0.0.1:${hello.port}/`)])
    rows.push(['unauthenticated GET /api/health (baseline)', await load(`${base}/api/health`)])
    rows.push(['GET /api/org with Bearer API key', await load(`${base}/api/org`, { authorization: `Bearer ${key}` })])
    rows.push(['GET /api/login/ping with Bearer API key (no database work)', await load(`${base}/api/login/ping`, { authorization: `Bearer ${key}` })])
    const baseline = rows[1]![1]
    console.log(`\nAPI key authentication — ${CONNECTIONS} connections, ${DURATION}s each, embedded database\n`)
    console.log('| scenario | req/s | × baseline |')
    console.log('|---|---:|---:|')
    for (const [name, rps] of rows) console.log(`| ${name} | ${Math.round(rps)} | ${(rps / baseline).toFixed(2)} |`)

    const proxy = await proxyBench({ connections: 64, seconds: DURATION })
    console.log(`\nData-source proxy vs nginx proxy_pass — ${loadGenerator()}, 64 connections, ${DURATION}s each taken in turns\n`)
    console.log('| scenario | req/s | CPU µs/request (kernel) |')
    console.log('|---|---:|---:|')
    proxy.rows.forEach(([name, rps], i) => {
      const cpu = proxy.cpu[i]
      console.log(`| ${name} | ${Math.round(rps)} | ${cpu === undefined ? '' : `${cpu.toFixed(0)} (${proxy.systemCpu[i]?.toFixed(0)})`} |`)
    })
    console.log(`\nGatehouse / nginx: ${proxy.ratio.toFixed(2)}× req/s` +
      (proxy.cpu[0] !== undefined && proxy.cpu[1] !== undefined ? `, ${(proxy.cpu[0] / proxy.cpu[1]).toFixed(2)}× per CPU second` : ''))

    printLive(await liveBench(LIVE_DEFAULTS), LIVE_DEFAULTS)
  } finally {
    for (const c of children) c.kill('SIGTERM')
    rmSync(data, { recursive: true, force: true })
  }
}

main().catch(err => { console.error(err); for (const c of children) c.kill('SIGKILL'); process.exit(1) })

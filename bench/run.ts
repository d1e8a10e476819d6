// npm run bench: issue 14's table, one row per target, each measured side by side with its
// baseline in the same run. Load is taken in interleaved rounds (BENCH_ROUNDS) so a neighbour's
// burst on a shared machine hits both sides alike; medians of the rounds and their ratio are printed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { childrenOf, cpuTicks, freePort, load, loadGenerator, waitFor, writeBenchPlugin, writeNginxConf, type Target } from './proxy.js'
import { measureFootprint, plainNodeRss, startGatehouse, type Footprint, type Server } from './footprint.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5))
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
// BENCH_ONLY=footprint runs rows 4–6 alone (idle RSS and first start: no nginx, wrk or upstream).
const ONLY_FOOTPRINT = process.env.BENCH_ONLY === 'footprint'
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx'
const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64')
/* eslint-disable @stylistic/max-len -- the upstream server's source, run as is: kept byte for byte */
const UPSTREAM = `
const body = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' }, value: [1700000000.123, '1'] }] }, padding: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx' })
require('node:http').createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body) })
  .listen(0, '127.0.0.1', function () { process.stdout.write('listening ' + this.address().port + '\\n') })`
/* eslint-enable @stylistic/max-len */

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** CPU µs per request of each side over all rounds (Linux /proc): on a loaded machine req/s follows the neighbours, this much less. */
const cpu: Array<[number, number]> = []

/** Rounds in turn over [baseline, subject]; medians of each side's req/s. */
async function sideBySide (baseline: Target, subject: Target): Promise<[number, number]> {
  const o = { connections: CONNECTIONS, seconds: SECONDS }
  for (const t of [baseline, subject]) await load(t, 1, o) // warm-up: pools, JIT, caches
  const a: number[] = []
  const b: number[] = []
  const ticks = [0, 0]
  const requests = [0, 0]
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, t] of [baseline, subject].entries()) {
      const before = cpuTicks(t.pids) ?? NaN
      const run = await load(t, SECONDS, o)
      ticks[i]! += (cpuTicks(t.pids) ?? NaN) - before
      requests[i]! += run.requests;
      (i === 0 ? a : b).push(run.rps)
    }
  }
  cpu.push([ticks[0]! * 1e4 / requests[0]!, ticks[1]! * 1e4 / requests[1]!]) // 100 ticks per second
  return [median(a), median(b)]
}

const dbs: string[] = []
async function admin<T> (fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try { return await fn(c) } finally { await c.end() }
}
async function freshDatabase (): Promise<string> {
  const name = `gh_bench_${process.pid}_${dbs.length}`
  await admin(c => c.query(`CREATE DATABASE ${name}`))
  dbs.push(name)
  const u = new URL(PG_URL)
  u.pathname = `/${name}`
  return u.toString()
}
const postgresUp = () => admin(async () => true).catch(() => false)

async function setUp (gh: Server): Promise<string> {
  const json = { authorization: ADMIN, 'content-type': 'application/json' }
  const ds = await fetch(`${gh.base}/api/datasources`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name: 'bench', uid: 'bench', type: 'bench-datasource', access: 'proxy', secureJsonData: { secret: 'bench-secret' } })
  })
  if (!ds.ok) throw new Error(`create data source: ${ds.status} ${await ds.text()}`)
  const key = await fetch(`${gh.base}/api/auth/keys`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'bench', role: 'Admin' }) })
  if (!key.ok) throw new Error(`create API key: ${key.status} ${await key.text()}`)
  return `Bearer ${(await key.json() as { key: string }).key}`
}

interface Row { name: string, baseline: string, a: string, b: string, ratio: string, target: string }
const rows: Row[] = []
/** A row that could not be measured says so in the table instead of ending the run. */
const failed = (name: string) => (err: unknown): undefined => {
  rows.push({ name, baseline: '', a: '', b: `not measured: ${(err as Error).message.slice(0, 80)}`, ratio: '', target: '' })
  return undefined
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
  const children: ChildProcess[] = []
  const servers: Server[] = []
  const havePg = await postgresUp()
  try {
    if (!ONLY_FOOTPRINT) {
      const upstream = spawn(process.execPath, ['-e', UPSTREAM], { stdio: ['ignore', 'pipe', 'inherit'] })
      children.push(upstream)
      const upPort = await new Promise<number>(resolve => { let out = ''; upstream.stdout!.on('data', d => { out += d; const m = /listening (\d+)/.exec(out); if (m !== null) resolve(Number(m[1])) }) })
      const plugins = writeBenchPlugin(dir, upPort)
      const start = async (env: Record<string, string>, pgUrl?: string) => {
        const s = await startGatehouse({ GF_PATHS_PLUGINS: plugins, ...env }, pgUrl)
        servers.push(s)
        return s
      }
      // The proxy rows run on PostgreSQL when it is there: the database plays no part once the key
      // and the data source are cached, and the embedded one is slow to open on a loaded machine.
      const one = await start({}, havePg ? await freshDatabase() : undefined)
      const two = await start({ GF_SERVER_WORKERS: '2' }, havePg ? await freshDatabase() : undefined)
      const keyOne = await setUp(one)
      const keyTwo = await setUp(two)

      const ngPort = await freePort()
      writeNginxConf(dir, upPort, ngPort)
      let nginx: Target | undefined
      try {
        execFileSync(NGINX, ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' })
        const proc = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
        children.push(proc)
        await waitFor(`http://127.0.0.1:${ngPort}/api/data`)
        // The master only forks; the worker does the work and spends the CPU.
        nginx = { url: `http://127.0.0.1:${ngPort}/api/data`, headers: {}, pids: [proc.pid!, ...childrenOf(proc.pid!)] }
      } catch {
        console.log('nginx is not installed (apt-get install -y nginx): the proxy rows are skipped')
      }
      const proxied = (gh: Server, key: string): Target => ({
        url: `${gh.base}/api/datasources/proxy/uid/bench/api/data`,
        headers: { authorization: key },
        pids: [gh.proc.pid!, ...childrenOf(gh.proc.pid!)]
      })
      if (nginx !== undefined) {
        const [ng1, gh1] = await sideBySide(nginx, proxied(one, keyOne))
        rows.push({
          name: '(1) data-source proxy (API key + route match + secret header), 1 process',
          baseline: 'nginx proxy_pass, 1 worker',
          a: fmt(ng1),
          b: fmt(gh1),
          ratio: `${(gh1 / ng1).toFixed(2)}×`,
          target: '≥ 0.30×'
        })
        const [ngCpu, ghCpu] = cpu.at(-1)!
        rows.push({
          name: '(1′) the same, CPU µs per request (nginx / Gatehouse = ratio per CPU second)',
          baseline: 'nginx proxy_pass, 1 worker',
          a: ngCpu.toFixed(0),
          b: ghCpu.toFixed(0),
          ratio: `${(ngCpu / ghCpu).toFixed(2)}×`,
          target: ''
        })
        const [ng2, gh2] = await sideBySide(nginx, proxied(two, keyTwo))
        rows.push({
          name: '(2) the same, [server] workers = 2',
          baseline: 'nginx proxy_pass, 1 worker',
          a: fmt(ng2),
          b: fmt(gh2),
          ratio: `${(gh2 / ng2).toFixed(2)}×`,
          target: '≥ 0.45×'
        })
      }

      // (3) basic auth vs API key on the same route, on each database.
      const embedded = await start({}).catch(failed('(3) basic auth GET /api/org, embedded'))
      const keyEmbedded = embedded === undefined ? '' : await setUp(embedded)
      for (const [label, gh, key] of [
        ...(embedded !== undefined ? [['embedded', embedded, keyEmbedded]] : []),
        ...(havePg ? [['PostgreSQL', one, keyOne]] : [])
      ] as Array<[string, Server, string]>) {
        const pids = [gh.proc.pid!]
        const [k, b] = await sideBySide(
          { url: `${gh.base}/api/org`, headers: { authorization: key }, pids },
          { url: `${gh.base}/api/org`, headers: { authorization: ADMIN }, pids }
        )
        rows.push({
          name: `(3) basic auth GET /api/org, ${label}`,
          baseline: 'API key, same route',
          a: fmt(k),
          b: fmt(b),
          ratio: `${(b / k).toFixed(2)}×`,
          target: '≥ 0.8×'
        })
      }
      for (const s of servers.splice(0)) await s.stop()
    }

    // (4–6) footprint: idle RSS and first start on an empty data dir.
    const fpPg = havePg ? await measureFootprint(freshDatabase) : undefined
    const fpEmb = await measureFootprint().catch(failed('(5) idle RSS and (6) first start, embedded'))
    const [nodeEarly, nodeIdle] = await plainNodeRss()
    // Idle first; in brackets, 2 s after the last request (start-up's young generation not yet returned).
    const rss = (idle: number, early: number) => `${idle.toFixed(0)} MB (${early.toFixed(0)})`
    const rssRow = (name: string, fp: Footprint, target: string) => ({
      name,
      baseline: 'plain Node http server',
      a: rss(nodeIdle, nodeEarly),
      b: rss(fp.rssMb, fp.rssAfterStartMb),
      ratio: `${(fp.rssMb / nodeIdle).toFixed(1)}×`,
      target
    })
    if (fpPg !== undefined) rows.push(rssRow('(4) idle RSS, PostgreSQL', fpPg, '≤ 120 MB'))
    if (fpEmb !== undefined) {
      rows.push(rssRow('(5) idle RSS, embedded', fpEmb, '≤ 300 MB'))
      rows.push({
        name: '(6) first start, empty data dir, embedded (median of 3)',
        baseline: '',
        a: '',
        b: `${(median(fpEmb.startMs) / 1000).toFixed(2)} s`,
        ratio: '',
        target: '≤ 2.5 s'
      })
    }
    if (fpPg !== undefined) {
      rows.push({
        name: '(6) first start, empty database, PostgreSQL (median of 3)',
        baseline: '',
        a: '',
        b: `${(median(fpPg.startMs) / 1000).toFixed(2)} s`,
        ratio: '',
        target: '≤ 1 s'
      })
    }

    console.log(`\nGatehouse bench — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
      `${loadGenerator()} (1 thread, ${CONNECTIONS} connections), ${ROUNDS} interleaved rounds of ${SECONDS}s, medians` +
      (havePg ? '' : '; PostgreSQL not reachable: its rows are skipped') + '\n')
    console.log('| row | baseline | baseline result | Gatehouse | ratio | target |')
    console.log('|---|---|---:|---:|---:|---|')
    for (const r of rows) console.log(`| ${r.name} | ${r.baseline} | ${r.a} | ${r.b} | ${r.ratio} | ${r.target} |`)
  } finally {
    for (const s of servers) await s.stop().catch(() => {})
    for (const c of children.reverse()) c.kill('SIGTERM')
    await new Promise(resolve => setTimeout(resolve, 300))
    rmSync(dir, { recursive: true, force: true })
    for (const name of dbs) await admin(c => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {})
  }
}

main().catch(err => { console.error(err); process.exit(1) })

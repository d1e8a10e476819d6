// Data-source proxy scenario for npm run bench: Gatehouse (API key + route match + a secret header
// from secureJsonData) and nginx proxy_pass (1 worker, the same header) in front of one upstream,
// measured in the same run. Each server is its own process; autocannon runs in this one. Besides
// req/s, the CPU each server process spent per request (Linux /proc) is reported: on a shared
// machine req/s follows the neighbours' load, CPU per request much less.
import autocannon from 'autocannon'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx'
// The 219-byte JSON of STACK.md's measurements.
/* eslint-disable @stylistic/max-len -- the upstream server's source, run as is: kept byte for byte */
const UPSTREAM = `
const body = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' }, value: [1700000000.123, '1'] }] }, padding: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx' })
require('node:http').createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body) })
  .listen(0, '127.0.0.1', function () { process.stdout.write('listening ' + this.address().port + '\\n') })`
/* eslint-enable @stylistic/max-len */

export interface ProxyBenchOptions { connections: number, seconds: number }
export interface ProxyBenchResult {
  rows: Array<[string, number]>
  ratio: number
  /** CPU µs per request of each server process (Linux), in the order of rows; of which in the kernel. */
  cpu: Array<number | undefined>
  systemCpu: Array<number | undefined>
  /** CPU µs per request of the upstream while each server was measured. */
  upstreamCpu: Array<number | undefined>
}

export async function freePort (): Promise<number> {
  const s = createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>(resolve => s.close(() => resolve()))
  return port
}

function startProcess (children: ChildProcess[], cmd: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(proc)
    let out = ''
    proc.stdout!.on('data', d => { out += d; const m = ready.exec(out); if (m !== null) resolve(Number(m[1])) })
    proc.on('exit', code => reject(new Error(`${cmd} exited ${code}: ${out.slice(-500)}`)))
  })
}

export async function waitFor (url: string): Promise<void> {
  // Up to a minute: on a busy machine the embedded database alone can take longer than 10 s to open.
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(url)).ok) return } catch { /* not yet */ }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not come up`)
}

// wrk (native, one thread) when installed: on a 2-core machine a JavaScript load generator takes
// the CPU the proxy under test needs, which flatters nginx. autocannon otherwise.
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find(p => existsSync(p))

// utime and stime in /proc/<pid>/stat count USER_HZ ticks, 100 per second on Linux.
const TICKS_PER_S = 100
export function cpuTicks (pids: number[], which: 'user' | 'system' | 'both' = 'both'): number | undefined {
  let sum = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      sum += (which === 'system' ? 0 : Number(f[11])) + (which === 'user' ? 0 : Number(f[12]))
    } catch {
      return undefined
    }
  }
  return sum
}
export function childrenOf (pid: number): number[] {
  try {
    return readdirSync('/proc').filter(d => /^\d+$/.test(d)).map(Number).filter(p => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
      } catch { return false }
    })
  } catch {
    return []
  }
}

interface Rate { rps: number, requests: number }

function wrk (url: string, headers: Record<string, string>, seconds: number, connections: number): Rate {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url]
  const out = execFileSync(WRK!, args, { encoding: 'utf8' })
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`${url}: non-2xx answers\n${out}`)
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 'NaN'), requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 'NaN') }
}

export interface Target { url: string, headers: Record<string, string>, pids: number[] }
export interface Measured { rps: number, cpuUs: number | undefined, systemCpuUs: number | undefined, upstreamCpuUs: number | undefined }

export async function load (t: Target, seconds: number, o: ProxyBenchOptions): Promise<Rate> {
  if (WRK !== undefined) return wrk(t.url, t.headers, seconds, o.connections)
  const a = await autocannon({ url: t.url, connections: o.connections, duration: seconds, headers: t.headers })
  if (a.non2xx > 0 || a.errors > 0) throw new Error(`${t.url}: ${a.non2xx} non-2xx, ${a.errors} errors`)
  return { rps: a.requests.average, requests: a.requests.total }
}

/**
 * The targets take turns in short slices (BENCH_ROUNDS, default 4), so a neighbour's burst of
 * work on a shared machine falls on both rather than on whichever happened to run then.
 */
export async function compare (targets: Target[], upstream: number[], o: ProxyBenchOptions): Promise<Measured[]> {
  for (const t of targets) await load(t, 2, o) // warm-up: pools, JIT
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4))
  const slice = Math.max(1, Math.round(o.seconds / rounds))
  const totals = targets.map(() => ({
    requests: 0,
    seconds: 0,
    cpu: 0 as number | undefined,
    system: 0 as number | undefined,
    upstream: 0 as number | undefined
  }))
  const add = (x: number | undefined, before: number | undefined, after: number | undefined) =>
    x === undefined || before === undefined || after === undefined ? undefined : x + after - before
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of targets.entries()) {
      const before = [cpuTicks(t.pids), cpuTicks(t.pids, 'system'), cpuTicks(upstream)]
      const run = await load(t, slice, o)
      const sum = totals[i]!
      sum.requests += run.requests
      sum.seconds += run.requests / run.rps
      sum.cpu = add(sum.cpu, before[0], cpuTicks(t.pids))
      sum.system = add(sum.system, before[1], cpuTicks(t.pids, 'system'))
      sum.upstream = add(sum.upstream, before[2], cpuTicks(upstream))
    }
  }
  return totals.map(sum => {
    const perRequest = (ticks: number | undefined) => ticks === undefined ? undefined : ticks / TICKS_PER_S * 1e6 / sum.requests
    return { rps: sum.requests / sum.seconds, cpuUs: perRequest(sum.cpu), systemCpuUs: perRequest(sum.system), upstreamCpuUs: perRequest(sum.upstream) }
  })
}

/** The bench's data-source plugin: one route to the upstream that injects the secret header. Returns the plugins dir. */
export function writeBenchPlugin (dir: string, upPort: number): string {
  const plugins = join(dir, 'plugins')
  mkdirSync(join(plugins, 'bench-datasource'), { recursive: true })
  writeFileSync(join(plugins, 'bench-datasource', 'plugin.json'), JSON.stringify({
    type: 'datasource',
    id: 'bench-datasource',
    name: 'Bench',
    routes: [{ path: 'api', method: 'GET', url: `http://127.0.0.1:${upPort}`, headers: [{ name: 'X-Bench-Secret', content: '{{.SecureJsonData.secret}}' }] }]
  }))
  return plugins
}

/**
 * nginx `proxy_pass` with 1 worker in front of the upstream, injecting the same secret header the
 * data source does: the baseline of every proxy row. Written to <dir>/nginx.conf.
 */
export function writeNginxConf (dir: string, upPort: number, ngPort: number): void {
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'nginx', d), { recursive: true })
  const t = (d: string): string => join(dir, 'nginx', d)
  const temps = `client_body_temp_path ${t('body')}; proxy_temp_path ${t('proxy')}; fastcgi_temp_path ${t('fastcgi')};` +
    ` uwsgi_temp_path ${t('uwsgi')}; scgi_temp_path ${t('scgi')};`
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${temps}
  upstream up { server 127.0.0.1:${upPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${ngPort};
    location /api/ {
      proxy_pass http://up/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Bench-Secret "bench-secret";
    }
  }
}
`)
}

export const loadGenerator = (): string => WRK !== undefined ? 'wrk' : 'autocannon'

export async function proxyBench (o: ProxyBenchOptions): Promise<ProxyBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-bench-'))
  const children: ChildProcess[] = []
  try {
    const upPort = await startProcess(children, process.execPath, ['-e', UPSTREAM], {}, /listening (\d+)/)
    const upstreamPid = children[0]!.pid!
    const plugins = writeBenchPlugin(dir, upPort)
    const ghPort = await freePort()
    const profile = process.env.BENCH_PROFILE_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE_DIR] : []
    const gatehouse = spawn(process.execPath, [...profile, 'dist/server.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        GF_PATHS_DATA: dir,
        GF_PATHS_PLUGINS: plugins,
        GF_SERVER_HTTP_PORT: String(ghPort),
        GF_SERVER_HTTP_ADDR: '127.0.0.1',
        GF_LOG_LEVEL: 'warn',
        GF_DATABASE_TYPE: 'embedded'
      }
    })
    children.push(gatehouse)
    const base = `http://127.0.0.1:${ghPort}`
    await waitFor(`${base}/api/health`)
    const admin = { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'), 'content-type': 'application/json' }
    const ds = await fetch(`${base}/api/datasources`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'bench', uid: 'bench', type: 'bench-datasource', access: 'proxy', secureJsonData: { secret: 'bench-secret' } })
    })
    if (!ds.ok) throw new Error(`create data source: ${ds.status} ${await ds.text()}`)
    const keyRes = await fetch(`${base}/api/auth/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench-proxy', role: 'Viewer' }) })
    const auth = keyRes.ok ? `Bearer ${(await keyRes.json() as { key: string }).key}` : admin.authorization

    const ngPort = await freePort()
    writeNginxConf(dir, upPort, ngPort)
    execFileSync(NGINX, ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
    const nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
    children.push(nginx)
    await waitFor(`http://127.0.0.1:${ngPort}/api/data`)

    const [ng, gh] = await compare([
      { url: `http://127.0.0.1:${ngPort}/api/data`, headers: {}, pids: [nginx.pid!, ...childrenOf(nginx.pid!)] },
      { url: `${base}/api/datasources/proxy/uid/bench/api/data`, headers: { authorization: auth }, pids: [gatehouse.pid!] }
    ], [upstreamPid], o) as [Measured, Measured]
    const how = auth.startsWith('Bearer') ? 'API key' : 'basic auth'
    return {
      rows: [['nginx proxy_pass, 1 worker, injected header', ng.rps], [`Gatehouse data-source proxy (${how} + route match + secret header)`, gh.rps]],
      ratio: gh.rps / ng.rps,
      cpu: [ng.cpuUs, gh.cpuUs],
      systemCpu: [ng.systemCpuUs, gh.systemCpuUs],
      upstreamCpu: [ng.upstreamCpuUs, gh.upstreamCpuUs]
    }
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM')
    await new Promise(resolve => setTimeout(resolve, 300))
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run alone: node dist/bench/proxy.js
if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.dirname, 'proxy.js')) {
  const o = { connections: Number(process.env.BENCH_CONNECTIONS ?? 64), seconds: Number(process.env.BENCH_SECONDS ?? 10) }
  proxyBench(o).then(r => {
    console.log(`\nData-source proxy — ${loadGenerator()}, ${o.connections} connections, ${o.seconds}s each taken in turns, same upstream (219-byte JSON)\n`)
    console.log('| scenario | req/s | × nginx | CPU µs/request (kernel) | × nginx (per CPU second) |')
    console.log('|---|---:|---:|---:|---:|')
    r.rows.forEach(([name, rps], i) => {
      const cpu = r.cpu[i]
      const eff = cpu === undefined || r.cpu[0] === undefined ? '' : (r.cpu[0] / cpu).toFixed(2)
      const cpuCell = cpu === undefined ? '' : `${cpu.toFixed(0)} (${r.systemCpu[i]?.toFixed(0)})`
      console.log(`| ${name} | ${Math.round(rps)} | ${(rps / r.rows[0]![1]).toFixed(2)} | ${cpuCell} | ${eff} |`)
    })
    const up = r.upstreamCpu.map(u => u === undefined ? '?' : u.toFixed(0))
    console.log(`\nUpstream (one Node process) CPU µs/request: ${up[0]} behind nginx, ${up[1]} behind Gatehouse`)
  }).catch(err => { console.error(err); process.exit(1) })
}

// Data-source proxy scenario for npm run bench: Gatehouse (API key + route match + a secret header
// from secureJsonData) and nginx proxy_pass (1 worker, the same header) in front of one upstream,
// measured in the same run. Each server is its own process; autocannon runs in this one.
import autocannon from 'autocannon'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx'
// The 219-byte JSON of STACK.md's measurements.
const UPSTREAM = `
const body = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' }, value: [1700000000.123, '1'] }] }, padding: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx' })
require('node:http').createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body) })
  .listen(0, '127.0.0.1', function () { process.stdout.write('listening ' + this.address().port + '\\n') })`

export interface ProxyBenchOptions { connections: number, seconds: number }
export interface ProxyBenchResult { rows: Array<[string, number]>, ratio: number }

async function freePort (): Promise<number> {
  const s = createServer()
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>(r => s.close(() => r()))
  return port
}

function startProcess (children: ChildProcess[], cmd: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<number> {
  return new Promise((res, rej) => {
    const proc = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(proc)
    let out = ''
    proc.stdout!.on('data', d => { out += d; const m = ready.exec(out); if (m !== null) res(Number(m[1])) })
    proc.on('exit', code => rej(new Error(`${cmd} exited ${code}: ${out.slice(-500)}`)))
  })
}

async function waitFor (url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`${url} did not come up`)
}

// wrk (native, one thread) when installed: on a 2-core machine a JavaScript load generator takes
// the CPU the proxy under test needs, which flatters nginx. autocannon otherwise.
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find(p => existsSync(p))

function wrk (url: string, headers: Record<string, string>, seconds: number, connections: number): number {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url]
  const out = execFileSync(WRK!, args, { encoding: 'utf8' })
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`${url}: non-2xx answers\n${out}`)
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 'NaN')
}

async function rate (url: string, headers: Record<string, string>, o: ProxyBenchOptions): Promise<number> {
  if (WRK !== undefined) {
    wrk(url, headers, 2, o.connections) // warm-up: pools, JIT
    return wrk(url, headers, o.seconds, o.connections)
  }
  await autocannon({ url, connections: o.connections, duration: 2, headers }) // warm-up: pools, JIT
  const r = await autocannon({ url, connections: o.connections, duration: o.seconds, headers })
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  return r.requests.average
}

export const loadGenerator = (): string => WRK !== undefined ? 'wrk' : 'autocannon'

export async function proxyBench (o: ProxyBenchOptions): Promise<ProxyBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-bench-'))
  const children: ChildProcess[] = []
  try {
    const upPort = await startProcess(children, process.execPath, ['-e', UPSTREAM], {}, /listening (\d+)/)
    const plugins = join(dir, 'plugins')
    mkdirSync(join(plugins, 'bench-datasource'), { recursive: true })
    writeFileSync(join(plugins, 'bench-datasource', 'plugin.json'), JSON.stringify({
      type: 'datasource', id: 'bench-datasource', name: 'Bench',
      routes: [{ path: 'api', method: 'GET', url: `http://127.0.0.1:${upPort}`, headers: [{ name: 'X-Bench-Secret', content: '{{.SecureJsonData.secret}}' }] }]
    }))
    const ghPort = await freePort()
    children.push(spawn(process.execPath, [...(process.env.BENCH_PROFILE_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE_DIR] : []), 'dist/server.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, GF_PATHS_DATA: dir, GF_PATHS_PLUGINS: plugins, GF_SERVER_HTTP_PORT: String(ghPort), GF_SERVER_HTTP_ADDR: '127.0.0.1', GF_LOG_LEVEL: 'warn', GF_DATABASE_TYPE: 'embedded' }
    }))
    const base = `http://127.0.0.1:${ghPort}`
    await waitFor(`${base}/api/health`)
    const admin = { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'), 'content-type': 'application/json' }
    const ds = await fetch(`${base}/api/datasources`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench', uid: 'bench', type: 'bench-datasource', access: 'proxy', secureJsonData: { secret: 'bench-secret' } }) })
    if (!ds.ok) throw new Error(`create data source: ${ds.status} ${await ds.text()}`)
    const keyRes = await fetch(`${base}/api/auth/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench-proxy', role: 'Viewer' }) })
    const auth = keyRes.ok ? `Bearer ${(await keyRes.json() as { key: string }).key}` : admin.authorization

    const ngPort = await freePort()
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'nginx', d), { recursive: true })
    const t = (d: string) => join(dir, 'nginx', d)
    writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${t('body')}; proxy_temp_path ${t('proxy')}; fastcgi_temp_path ${t('fastcgi')}; uwsgi_temp_path ${t('uwsgi')}; scgi_temp_path ${t('scgi')};
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
    execFileSync(NGINX, ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
    const nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
    children.push(nginx)
    await waitFor(`http://127.0.0.1:${ngPort}/api/data`)

    const nginxRps = await rate(`http://127.0.0.1:${ngPort}/api/data`, {}, o)
    const ghRps = await rate(`${base}/api/datasources/proxy/uid/bench/api/data`, { authorization: auth }, o)
    const how = auth.startsWith('Bearer') ? 'API key' : 'basic auth'
    return {
      rows: [['nginx proxy_pass, 1 worker, injected header', nginxRps], [`Gatehouse data-source proxy (${how} + route match + secret header)`, ghRps]],
      ratio: ghRps / nginxRps
    }
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM')
    await new Promise(r => setTimeout(r, 300))
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run alone: node dist/bench/proxy.js
if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.dirname, 'proxy.js')) {
  const o = { connections: Number(process.env.BENCH_CONNECTIONS ?? 64), seconds: Number(process.env.BENCH_SECONDS ?? 10) }
  proxyBench(o).then(r => {
    console.log(`\nData-source proxy — ${o.connections} connections, ${o.seconds}s each, same upstream (219-byte JSON)\n`)
    console.log('| scenario | req/s | × nginx |')
    console.log('|---|---:|---:|')
    for (const [name, rps] of r.rows) console.log(`| ${name} | ${Math.round(rps)} | ${(rps / r.rows[0]![1]).toFixed(2)} |`)
  }).catch(err => { console.error(err); process.exit(1) })
}

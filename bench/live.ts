// Live scenario for npm run bench: thousands of idle websockets (raw `ws` speaking Centrifuge's
// JSON protocol) subscribed to one broadcast channel of a Gatehouse process; reports the server's
// RSS per connection and broadcast deliveries per second. Targets: ≤ 16 KB/conn, ≥ 150k deliveries/s.
// The same load runs against a bare `ws` broadcast server in the same run, so a busy machine
// shows as a low baseline rather than as a Gatehouse regression.
// Run alone: npm run build && node dist/bench/live.js
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import WebSocket from 'ws'

const ROOT = resolve(import.meta.dirname, '..', '..')
const CHANNEL = '1/grafana/broadcast/bench'
// The baseline: ws alone, answering connect/subscribe and re-broadcasting publishes, each built once.
const BARE_WS = `
const { WebSocketServer } = require('ws')
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false })
wss.on('listening', () => process.stdout.write('listening ' + wss.address().port + '\\n'))
wss.on('connection', ws => ws.on('message', m => {
  const s = String(m)
  if (s.startsWith('{"connect"')) {
    ws.send('{"id":1,"connect":{}}')
    if (s.includes('subscribe')) { ws.send('{"id":2,"subscribe":{}}'); ws.sub = true }
    return
  }
  const frame = Buffer.from('{"push":{"channel":"${CHANNEL}","pub":{"data":' + JSON.stringify(JSON.parse(s).publish.data) + '}}}')
  for (const c of wss.clients) if (c.sub) c.send(frame, { binary: false })
}))`

export interface LiveBenchOptions { connections: number, messages: number, bytes: number }
export interface LiveBenchResult {
  connections: number
  rssPerConnectionKb: number
  deliveries: number
  deliveriesPerSecond: number
  /** Deliveries per second of server CPU time: what one free core would sustain, whatever else loads the machine. */
  deliveriesPerCpuSecond: number
}

function rssKb (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1] ?? 0)
}

/** User + system CPU seconds of a process (Linux). */
function cpuSeconds (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

// Servers collect garbage on SIGUSR2 so each RSS reading starts from a collected heap: start-up
// garbage (the embedded database's initdb) collected mid-measurement made the figure negative.
const GC_ON_SIGNAL = ['--expose-gc', '--import', 'data:text/javascript,process.on("SIGUSR2",()=>globalThis.gc())']

async function settledRssKb (pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2')
  await new Promise(resolve => setTimeout(resolve, 500))
  return rssKb(pid)
}

function spawnServer (children: ChildProcess[], args: string[], env: Record<string, string>, ready: RegExp): Promise<{ pid: number, port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...GC_ON_SIGNAL, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(proc)
    let out = ''
    proc.stdout!.on('data', d => {
      out += d
      const m = ready.exec(out)
      if (m !== null) { resolve({ pid: proc.pid!, port: Number(m[1]) }); out = '' }
    })
    proc.on('exit', code => reject(new Error(`server exited ${code}: ${out.slice(-500)}`)))
  })
}

/** A connected, subscribed socket. */
async function subscriber (url: string, headers: Record<string, string>, onPush: () => void): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false })
  await once(ws, 'open')
  let replies = 0
  const ready = new Promise<void>(resolve => {
    ws.on('message', () => {
      if (replies < 2) { if (++replies === 2) resolve(); return }
      onPush()
    })
  })
  ws.send(`{"connect":{},"id":1}\n{"subscribe":{"channel":"${CHANNEL}"},"id":2}`)
  await ready
  return ws
}

export async function liveBench (opts: LiveBenchOptions): Promise<{ gatehouse: LiveBenchResult, bareWs: LiveBenchResult }> {
  const bareWs = await run(opts, true)
  const gatehouse = await run(opts, false)
  return { gatehouse, bareWs }
}

async function run (opts: LiveBenchOptions, bare: boolean): Promise<LiveBenchResult> {
  const children: ChildProcess[] = []
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-bench-live-'))
  const sockets: WebSocket[] = []
  try {
    let pid: number
    let url: string
    let headers: Record<string, string> = {}
    if (bare) {
      const s = await spawnServer(children, ['-e', BARE_WS], {}, /listening (\d+)/)
      pid = s.pid
      url = `ws://127.0.0.1:${s.port}/`
    } else {
      const s = await spawnServer(children, ['dist/server.js'], { GF_PATHS_DATA: data, GF_SERVER_HTTP_PORT: '0', GF_SERVER_HTTP_ADDR: '127.0.0.1', GF_LOG_LEVEL: 'info', GF_LIVE_MAX_CONNECTIONS: '-1' }, /HTTP Server Listen" address=http:\/\/127\.0\.0\.1:(\d+)/)
      pid = s.pid
      const base = `http://127.0.0.1:${s.port}`
      const admin = 'Basic ' + Buffer.from('admin:admin').toString('base64')
      // An API key: hashing it is cheap, where a password would cost a key derivation per socket.
      const created = await fetch(`${base}/api/auth/keys`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench-live', role: 'Viewer' })
      })
      const { key } = await created.json() as { key: string }
      headers = { authorization: `Bearer ${key}` }
      url = `ws://127.0.0.1:${s.port}/api/live/ws`
    }

    let received = 0
    let onAll: (() => void) | undefined
    let expected = Infinity
    const onPush = (): void => { if (++received === expected) onAll?.() }

    // The marginal memory of a connection: a first tenth of the sockets warms the server up (JIT,
    // buffers); the RSS growth over the other nine tenths, each read after a full collection, is
    // divided among them.
    const open = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i += 100) {
        const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => subscriber(url, headers, onPush)))
        sockets.push(...batch)
      }
    }
    const warm = Math.max(1, Math.floor(opts.connections / 10))
    await open(warm)
    const before = await settledRssKb(pid)
    await open(opts.connections - warm)
    const after = await settledRssKb(pid)
    const rssPerConnectionKb = (after - before) / (opts.connections - warm)

    const publisher = new WebSocket(url, { headers })
    await once(publisher, 'open')
    publisher.send('{"connect":{},"id":1}')
    await once(publisher, 'message')
    const payload = JSON.stringify({ payload: 'x'.repeat(Math.max(0, opts.bytes - 16)) })
    expected = opts.connections * opts.messages
    const done = new Promise<void>(resolve => { onAll = resolve })
    const cpuStart = cpuSeconds(pid)
    const start = process.hrtime.bigint()
    for (let i = 0; i < opts.messages; i++) publisher.send(`{"publish":{"channel":"${CHANNEL}","data":${payload}},"id":${i + 2}}`)
    await done
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const cpu = cpuSeconds(pid) - cpuStart
    publisher.terminate()
    return {
      connections: opts.connections,
      rssPerConnectionKb,
      deliveries: expected,
      deliveriesPerSecond: expected / seconds,
      deliveriesPerCpuSecond: cpu > 0 ? expected / cpu : Infinity
    }
  } finally {
    for (const s of sockets) s.terminate()
    for (const c of children) c.kill('SIGTERM')
    rmSync(data, { recursive: true, force: true })
  }
}

export function printLive (r: { gatehouse: LiveBenchResult, bareWs: LiveBenchResult }, opts: LiveBenchOptions): void {
  const g = r.gatehouse
  const b = r.bareWs
  console.log(`\nLive broadcast fan-out — ${g.connections} idle websockets on one channel, ${opts.messages} messages of ${opts.bytes} bytes\n`)
  console.log('| measure | Gatehouse | bare ws | target |')
  console.log('|---|---:|---:|---:|')
  console.log(`| server RSS per connection (KB) | ${g.rssPerConnectionKb.toFixed(1)} | ${b.rssPerConnectionKb.toFixed(1)} | ≤ 16 |`)
  console.log('| deliveries/s (wall clock; the load generator shares the machine) | ' +
    `${Math.round(g.deliveriesPerSecond)} | ${Math.round(b.deliveriesPerSecond)} | ≥ 150000 |`)
  console.log(`| deliveries per server CPU second | ${Math.round(g.deliveriesPerCpuSecond)} | ${Math.round(b.deliveriesPerCpuSecond)} | |`)
  console.log(`\nGatehouse / bare ws deliveries/s: ${(g.deliveriesPerSecond / b.deliveriesPerSecond).toFixed(2)}×`)
}

export const LIVE_DEFAULTS: LiveBenchOptions = {
  connections: Number(process.env.BENCH_LIVE_CONNECTIONS ?? 2000),
  messages: Number(process.env.BENCH_LIVE_MESSAGES ?? 200),
  bytes: 200
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  liveBench(LIVE_DEFAULTS).then(r => { printLive(r, LIVE_DEFAULTS) }).catch(err => { console.error(err); process.exit(1) })
}

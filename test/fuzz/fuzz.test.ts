// A hostile pass over every route Fastify registered: seeded, bounded, loopback only. Asserts no
// 5xx (other than the data-source proxy's 502/504 for an upstream that is down) and no crash.
// `npm test` runs a short pass; `npm run fuzz` a long one (FUZZ_REQUESTS, FUZZ_SEED to replay).
import t from 'tap'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import type { RouteOptions } from 'fastify'
import { ADMIN, basic, build } from '../helpers/build.js'
import { createDataSource, userWithRole } from '../helpers/datasources.js'
import { Generator, targetOf, type Target } from './generate.js'

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 300)
const SEED = Number(process.env.FUZZ_SEED ?? 20261205)
const PROXY = /^\/api\/datasources\/proxy\//

async function upstream (t: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const server: Server = createServer((req, res) => { req.resume(); res.setHeader('content-type', 'application/json'); res.end('{"ok":true}') })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** One request over a real socket, bytes as written (no client normalises the path); its status. */
function rawRequest (port: number, head: string, body: string): Promise<number> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(30_000, () => socket.destroy())
    socket.on('data', c => { chunks.push(c); if (Buffer.concat(chunks).includes('\r\n')) socket.destroy() })
    socket.on('error', () => {})
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))
      resolve(m !== null ? Number(m[1]) : 0)
    })
    // write, not end: Node drops a request still in its handler when the client half-closes.
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body, 'utf8')]))
  })
}

t.test(`fuzz: ${REQUESTS} requests, seed ${SEED}`, async t => {
  const routes: RouteOptions[] = []
  const { app, logs } = await build(t, {}, {}, { app: { onRoute: r => { routes.push(r) } } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port

  // Something for the ids to hit: a second org, a viewer, keys, a team, a dashboard, data sources up and down.
  const up = await upstream(t)
  await createDataSource(app, { name: 'Up', type: 'prometheus', url: up })
  await createDataSource(app, { name: 'Down', type: 'prometheus', url: 'http://127.0.0.1:9' })
  const viewer = await userWithRole(app, 'viewer', 'Viewer')
  await app.inject({ method: 'POST', url: '/api/orgs', headers: { authorization: ADMIN }, payload: { name: 'Second' } })
  const key = (await app.inject({
    method: 'POST', url: '/api/auth/keys', headers: { authorization: ADMIN }, payload: { name: 'fuzz', role: 'Admin' }
  })).json().key as string
  await app.inject({ method: 'POST', url: '/api/teams', headers: { authorization: ADMIN }, payload: { name: 'Team' } })
  await app.inject({ method: 'POST', url: '/api/serviceaccounts', headers: { authorization: ADMIN }, payload: { name: 'robot' } })
  await app.inject({ method: 'POST', url: '/api/dashboards/db', headers: { authorization: ADMIN }, payload: { dashboard: { title: 'D', uid: 'd1' } } })
  const session = (await app.inject({
    method: 'POST', url: '/login', payload: { user: 'viewer', password: 'password1' }
  })).cookies.find(c => c.name === 'grafana_session')?.value ?? ''

  const targets: Target[] = routes.flatMap(targetOf)
  t.ok(targets.length > 50, `${targets.length} method+route targets found from Fastify`)
  const g = new Generator(SEED)
  const auths = [ADMIN, ADMIN, viewer, `Bearer ${key}`, basic('api_key', 'nope'), 'Bearer nope', 'Basic !!!',
    basic('nobody', 'wrong') /* not admin: its lockout would turn the rest into 429s */, '', `session:${session}`]
  const statuses = new Map<number, number>()
  const failures: string[] = []
  let raw = 0
  const started = Date.now()

  for (let i = 0; i < REQUESTS; i++) {
    const target = g.pick(targets)
    const url = g.path(target.url) + g.query()
    const auth = g.pick(auths)
    const headers: Record<string, string> = {}
    if (auth.startsWith('session:')) headers.cookie = `grafana_session=${auth.slice(8)}`
    else if (auth !== '') headers.authorization = auth
    if (g.chance(0.2)) headers['x-grafana-org-id'] = g.pick(['1', '2', '0', '-1', '99', 'abc', '9999999999999999999', ''])
    if (g.chance(0.2)) headers.accept = g.pick(['*/*', 'text/html', 'application/json', 'text/event-stream', ''])
    if (g.chance(0.1)) headers.origin = g.pick(['http://evil.example', 'null', 'http://localhost:3000'])
    const { payload, contentType } = g.body(target)
    if (contentType !== undefined) headers['content-type'] = contentType
    let status: number
    if (g.chance(0.1)) {
      raw++
      const head = `${target.method} ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
        (payload !== undefined ? `Content-Length: ${Buffer.byteLength(payload)}\r\n` : '') + '\r\n'
      status = await rawRequest(port, head, payload ?? '')
      if (status === 0 || (status >= 500 && !(PROXY.test(url) && (status === 502 || status === 504)))) {
        failures.push(`raw ${target.method} ${url} [${JSON.stringify(headers)}] ${payload ?? ''} -> ${status === 0 ? 'no answer' : status}`)
      }
    } else {
      let res
      try {
        res = await app.inject({ method: target.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) })
      } catch (err) {
        failures.push(`${target.method} ${url}: inject threw ${(err as Error).message}`)
        continue
      }
      status = res.statusCode
      if (status >= 500 && !(PROXY.test(url) && (status === 502 || status === 504))) {
        failures.push(`${target.method} ${url} [${JSON.stringify(headers)}] ${payload ?? ''} -> ${status} ${res.body.slice(0, 200)}`)
      }
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
  }

  const counts = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')
  t.comment(`fuzz seed=${SEED} requests=${REQUESTS} raw=${raw} targets=${targets.length} in ${Date.now() - started} ms; statuses ${counts}`)
  t.same(failures, [], 'no 5xx outside the proxy\'s 502/504')
  t.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 200, 'the server still serves')
  const errors = logs.filter(l => /level=error/.test(l) && !/logger=data-proxy|proxy/.test(l))
  t.same(errors.map(l => l.slice(0, 300)), [], 'no error log lines outside the proxy')
})

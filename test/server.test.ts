// The real server process, as an operator runs it: node dist/server.js with GF_ variables.
import t from 'tap'
import { request } from 'node:http'
import { freePort, startServer } from './helpers/server-process.js'

const start = (env: Record<string, string>) => startServer(env, 'gh-server-')

async function waitHealthy (url: string, exited: Promise<unknown>): Promise<void> {
  let done = false
  // eslint-disable-next-line no-void -- deliberately not awaited: it only stops the polling loop once the process exits
  void exited.then(() => { done = true })
  // eslint-disable-next-line no-unmodified-loop-condition -- done is set by the exited callback while the loop awaits
  for (let i = 0; i < 300 && !done; i++) {
    try { if ((await fetch(`${url}/api/health`)).ok) return } catch {}
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('server did not become healthy')
}

t.test('npm start equivalent: serves on GF_SERVER_HTTP_PORT with admin/admin bootstrapped', async t => {
  const port = await freePort()
  const s = start({ GF_SERVER_HTTP_PORT: String(port), GF_SERVER_HTTP_ADDR: '127.0.0.1' })
  t.teardown(s.cleanup)
  await waitHealthy(`http://127.0.0.1:${port}`, s.exited)
  const org = await fetch(`http://127.0.0.1:${port}/api/org`, { headers: { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') } })
  t.equal(await org.text(), '{"id":1,"name":"Main Org."}')
  t.match(s.out(), /^t=\S+ level=info logger=accounts msg="Created default admin" user=admin$/m)
  t.match(s.out(), /logger=http\.server msg="HTTP Server Listen"/)
})

t.test('a bad GF_ value stops the start with one clear line and no stack trace', async t => {
  const s = start({ GF_SERVER_HTTP_PORT: 'abc' })
  t.teardown(s.cleanup)
  t.equal(await s.exited, 2)
  t.equal(s.err(), 'gatehouse: invalid config: [server] http_port = "abc": must be an integer\n')
})

t.test('an unreachable PostgreSQL stops the start with a clear line', async t => {
  const port = await freePort()
  const s = start({ GF_DATABASE_TYPE: 'postgres', GF_DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none`, GF_SERVER_HTTP_PORT: String(await freePort()) })
  t.teardown(s.cleanup)
  t.equal(await s.exited, 1)
  t.match(s.err(), /^gatehouse: failed to start: database unreachable/)
  t.notMatch(s.err(), /\n\s+at /, 'no stack trace')
})

t.test('SIGTERM finishes the in-flight request, then exits 0', async t => {
  const port = await freePort()
  const s = start({ GF_SERVER_HTTP_PORT: String(port), GF_SERVER_HTTP_ADDR: '127.0.0.1' })
  t.teardown(s.cleanup)
  await waitHealthy(`http://127.0.0.1:${port}`, s.exited)
  // The request's headers reach the server first; its body is sent only once the server has
  // logged the shutdown, so the request is in flight when SIGTERM lands, however loaded the machine.
  const body = JSON.stringify({ user: 'admin', password: 'admin' })
  const req = request({
    host: '127.0.0.1', port, method: 'POST', path: '/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
  })
  const answered = new Promise<number>((resolve, reject) => { req.on('response', r => { r.resume(); resolve(r.statusCode ?? 0) }); req.on('error', reject) })
  req.flushHeaders()
  await new Promise(resolve => setTimeout(resolve, 500))
  s.proc.kill('SIGTERM')
  for (let i = 0; i < 100 && !s.out().includes('Shutting down'); i++) await new Promise(resolve => setTimeout(resolve, 50))
  req.end(body)
  t.equal(await answered, 200, 'the in-flight request is answered')
  t.equal(await s.exited, 0)
  t.match(s.out(), /logger=server msg="Shutting down" signal=SIGTERM/)
})

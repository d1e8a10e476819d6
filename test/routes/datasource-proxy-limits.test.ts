// The data-source proxy's limits: [server] max_body_bytes on proxied bodies (declared or streamed),
// and the data-proxy timeout (not [server] read_timeout) for slow data sources. Real sockets.
import t from 'tap'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import type { FastifyInstance } from 'fastify'
import { ADMIN, build } from '../helpers/build.js'
import { createDataSource, upstream } from '../helpers/datasources.js'

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

t.test('a proxied body declared over max_body_bytes is a 413 JSON and nothing reaches the data source', async t => {
  const { app } = await build(t, { server: { max_body_bytes: 1024 * 1024 } })
  let connections = 0
  const ds = await upstream(t)
  ds.server.on('connection', () => { connections++ })
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  const base = await listen(app)
  const res = await request(`${base}/api/datasources/proxy/${id}/write`, {
    method: 'POST', headers: { authorization: ADMIN, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(2 * 1024 * 1024, 120)
  })
  t.equal(res.statusCode, 413)
  t.same(await res.body.json(), { message: 'Request body is too large (limit 1048576 bytes)' })
  t.same([ds.seen.length, connections], [0, 0], 'the data source saw no request, not even a connection')
  const small = await request(`${base}/api/datasources/proxy/${id}/write`, { method: 'POST', headers: { authorization: ADMIN }, body: 'x'.repeat(1000) })
  t.equal(small.statusCode, 200)
  await small.body.text()
  t.same(ds.seen.map(s => s.body.length), [1000], 'a body under the limit still goes through')
})

t.test('a chunked proxied body that streams past max_body_bytes is cut: 413 JSON, the upstream request aborted', async t => {
  const { app, logs } = await build(t, { server: { max_body_bytes: 64 * 1024 } })
  let aborted = 0
  let received = 0
  const ds = await upstream(t)
  ds.server.on('request', req => {
    req.on('data', (c: Buffer) => { received += c.length })
    req.on('aborted', () => { aborted++ })
    req.on('error', () => {})
  })
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  const { port } = new URL(await listen(app))
  const status = await new Promise<{ status: number, body: string }>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port, method: 'POST', path: `/api/datasources/proxy/${id}/write`, headers: { authorization: ADMIN, 'transfer-encoding': 'chunked' }
    }, res => {
      let body = ''
      res.on('data', c => { body += c })
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    let sent = 0
    const chunk = Buffer.alloc(16 * 1024, 97)
    const pump = () => {
      if (sent >= 512 * 1024 || req.destroyed) return req.end()
      sent += chunk.length
      req.write(chunk, () => setImmediate(pump))
    }
    pump()
  }).catch(err => ({ status: 0, body: String(err) }))
  t.equal(status.status, 413)
  t.same(JSON.parse(status.body), { message: 'Request body is too large (limit 65536 bytes)' })
  // eslint-disable-next-line no-unmodified-loop-condition -- the upstream's abort handler sets aborted while the loop awaits
  for (let i = 0; i < 100 && aborted === 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(aborted, 1, 'the upstream request was aborted')
  t.equal(ds.seen.length, 0, 'the upstream never received a complete request')
  t.ok(received <= 64 * 1024, `at most the limit reached the upstream (${received} bytes)`)
  t.ok(logs.some(l => l.includes('Proxy request failed') && l.includes('too-large')), 'one warning names the cause')
})

t.test('a data source slower than read_timeout answers within the data-proxy timeout instead of an empty reply', async t => {
  const { app } = await build(t, { server: { read_timeout: '1s' }, dataproxy: { timeout: 4 } })
  const ds = await upstream(t,
    (_req, res) => { setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"late":true}') }, 2000) })
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url })
  const base = await listen(app)
  const res = await request(`${base}/api/datasources/proxy/${id}/slow`, { headers: { authorization: ADMIN } })
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), { late: true })
  const again = await request(`${base}/api/health`)
  t.equal(again.statusCode, 200, 'the connection serves the next request')
  await again.body.text()
})

t.test('a data source that never answers gets the 504 JSON at its jsonData.timeout, past read_timeout', async t => {
  const { app } = await build(t, { server: { read_timeout: '1s' } })
  const ds = await upstream(t, () => {})
  const { id } = await createDataSource(app, { name: 'P', type: 'x', url: ds.url, jsonData: { timeout: 2 } })
  const base = await listen(app)
  const started = Date.now()
  const res = await request(`${base}/api/datasources/proxy/${id}/hang`, { headers: { authorization: ADMIN } })
  t.equal(res.statusCode, 504)
  t.same(await res.body.json(), { message: 'Data source did not answer within 2s' })
  t.ok(Date.now() - started >= 1900, 'at the data source timeout, not read_timeout')
})

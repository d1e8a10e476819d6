// The HTTP layer over real sockets: CONNECT gets an answer, and [server] timeouts fire on time
// with a 408 JSON (issue 12, items 7 and 8).
import t from 'tap'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { build } from '../helpers/build.js'

/** Everything the server sends until it closes the connection, and when it closed. */
function readAll (socket: Socket): Promise<{ text: string, closedAt: number }> {
  return new Promise(resolve => {
    const chunks: Buffer[] = []
    socket.on('data', c => chunks.push(c))
    socket.on('error', () => {})
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), closedAt: Date.now() }))
  })
}

t.test('CONNECT is answered 405 JSON like any unknown method, not a silent close', async t => {
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  for (const target of ['127.0.0.1:443', '/api/health']) {
    const socket = connect(port, '127.0.0.1')
    const done = readAll(socket)
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`)
    const { text } = await done
    const [head, body] = text.split('\r\n\r\n')
    t.match(head, /^HTTP\/1\.1 405 Method Not Allowed\r\n/, target)
    t.match(head, /\r\nContent-Type: application\/json; charset=utf-8\r\n/)
    t.same(JSON.parse(body!), { message: 'Method not allowed' })
  }
  t.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 200, 'the server still serves')
})

t.test('[server] headers_timeout and read_timeout fire within 1 s of their value, with a 408 JSON', async t => {
  const { app } = await build(t, { server: { headers_timeout: '1s', read_timeout: '2s' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port

  t.test('slow headers', async t => {
    const socket = connect(port, '127.0.0.1')
    const done = readAll(socket)
    const start = Date.now()
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n')
    const { text, closedAt } = await done
    const took = closedAt - start
    t.ok(took >= 900 && took < 2000, `closed after ${took} ms`)
    t.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/)
    t.same(JSON.parse(text.split('\r\n\r\n')[1]!), { message: 'Request timeout' })
  })

  t.test('slow body, trickled so the socket never idles', async t => {
    const socket = connect(port, '127.0.0.1')
    const done = readAll(socket)
    const start = Date.now()
    socket.write('PUT /api/org HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{')
    const trickle = setInterval(() => { if (socket.writable) socket.write(' ') }, 250)
    const { text, closedAt } = await done
    clearInterval(trickle)
    const took = closedAt - start
    t.ok(took >= 1900 && took < 3000, `closed after ${took} ms`)
    t.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/)
    t.same(JSON.parse(text.split('\r\n\r\n')[1]!), { message: 'Request timeout' })
  })
})

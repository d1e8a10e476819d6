// The browser app's own web server: serves index.html from another origin than Gatehouse's
// (another port is enough: an origin is scheme, host and port). Run: node server.mjs [port]
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const page = readFileSync(new URL('./index.html', import.meta.url))
const port = Number(process.argv[2] ?? process.env.PORT ?? 8080)
const host = process.env.HOST ?? '127.0.0.1'

const server = createServer((req, res) => {
  if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    return
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
})
server.listen(port, host, () => {
  const { port: actual } = server.address()
  // The test (and you) read the origin from this line.
  console.log(`browser app on http://${host}:${actual}`)
})

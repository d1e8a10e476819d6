// A real headless Chromium on a page from a second local origin: what a browser app sees when it
// calls Gatehouse cross-origin. fetch with Authorization (a preflighted request) and the Live
// websocket must work from an allowed origin and be refused from any other.
import t from 'tap'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build, ADMIN } from '../helpers/build.js'
import { CHROMIUM, skip } from '../helpers/browser.js'

async function pageServer (t: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>app</title><p>app</p>')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('fetch and WebSocket from an allowed origin work, from another origin they are refused', { skip }, async t => {
  const { chromium } = await import('playwright-core')
  const allowed = await pageServer(t)
  const other = await pageServer(t)
  const { app, logs } = await build(t, { cors: { allowed_origins: allowed } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const gatehouse = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const sa = await app.inject({
    method: 'POST', url: '/api/serviceaccounts', headers: { authorization: ADMIN }, payload: { name: 'browser-app', role: 'Viewer' }
  })
  const tok = await app.inject({
    method: 'POST', url: `/api/serviceaccounts/${sa.json().id}/tokens`, headers: { authorization: ADMIN }, payload: { name: 'spa' }
  })
  const token: string = tok.json().key
  await app.inject({ method: 'POST', url: '/api/dashboards/db', headers: { authorization: ADMIN }, payload: { dashboard: { title: 'Browser view' } } })

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic']
  })
  t.teardown(() => browser.close())
  const context = await browser.newContext()
  // Sign in: the session cookie is for host 127.0.0.1 (any port), as a user's browser would hold it.
  const login = await context.request.post(`${gatehouse}/login`, { data: { user: 'admin', password: 'admin' } })
  t.equal(login.status(), 200)

  const page = await context.newPage()
  const fromPage = async (origin: string) => {
    await page.goto(`${origin}/`)
    return page.evaluate(async ({ gatehouse, token }) => {
      const result: Record<string, unknown> = {}
      try {
        const res = await fetch(`${gatehouse}/api/search?query=Browser`, { headers: { Authorization: `Bearer ${token}` } })
        result.fetch = { status: res.status, titles: (await res.json() as Array<{ title: string }>).map(h => h.title) }
      } catch (err) {
        result.fetch = { error: String(err) }
      }
      result.ws = await new Promise(resolve => {
        const ws = new WebSocket(`${gatehouse.replace(/^http/, 'ws')}/api/live/ws`)
        ws.onopen = () => ws.send(JSON.stringify({ connect: {}, id: 1 }))
        ws.onmessage = ev => { ws.close(); resolve({ reply: JSON.parse(String(ev.data).split('\n')[0]!) }) }
        ws.onclose = ev => resolve({ closed: ev.code })
      })
      return result
    }, { gatehouse, token })
  }

  const ok = await fromPage(allowed)
  t.same(ok.fetch, { status: 200, titles: ['Browser view'] }, 'fetch with Authorization passes the preflight and reads the answer')
  t.match(ok.ws, { reply: { id: 1, connect: { client: String } } }, 'the Live websocket connects (session cookie) and speaks Centrifuge')

  const refused = await fromPage(other)
  t.match(refused.fetch, { error: /TypeError/ }, 'the browser blocks the fetch: no Access-Control-Allow-Origin')
  t.same(refused.ws, { closed: 1006 }, 'the websocket handshake is refused')
  t.ok(logs.some(l => l.includes('logger=live') && l.includes('msg="Origin check failed"') && l.includes(`origin=${other}`)),
    'and logged as the seed describes')
})

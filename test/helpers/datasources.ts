// Shared steps for the data-source, secure-json and proxy tests: users with a role, data sources,
// plugin folders, and real upstream HTTP servers on 127.0.0.1 that record what reached them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { api, basic } from './build.js'

interface Teardown { teardown: (fn: () => unknown) => void }

/** A user with `role` in org 1; returns its basic-auth header. */
export async function userWithRole (app: FastifyInstance, login: string, role: 'Viewer' | 'Editor' | 'Admin'): Promise<string> {
  const created = await api(app, 'POST', '/api/admin/users', { login, email: `${login}@example.com`, password: 'password1' })
  if (created.statusCode !== 200) throw new Error(`create user: ${created.body}`)
  if (role !== 'Viewer') {
    const r = await api(app, 'PATCH', `/api/org/users/${created.json().id}`, { role })
    if (r.statusCode !== 200) throw new Error(`set role: ${r.body}`)
  }
  return basic(login, 'password1')
}

export async function createDataSource (app: FastifyInstance, body: Record<string, unknown>): Promise<{ id: number, uid: string }> {
  const res = await api(app, 'POST', '/api/datasources', { access: 'proxy', ...body })
  if (res.statusCode !== 200) throw new Error(`create data source: ${res.statusCode} ${res.body}`)
  return { id: res.json().id, uid: res.json().datasource.uid }
}

/** Writes <dir>/plugins/<id>/plugin.json; point [paths] plugins at the returned folder. */
export function writePlugin (dir: string, manifest: Record<string, unknown>, folder = String(manifest.id)): string {
  const root = join(dir, 'plugins')
  mkdirSync(join(root, folder), { recursive: true })
  writeFileSync(join(root, folder, 'plugin.json'), JSON.stringify(manifest))
  return root
}

export interface Seen { method: string, url: string, headers: IncomingMessage['headers'], body: string }

export interface Upstream {
  url: string
  port: number
  seen: Seen[]
  server: Server
}

/** An HTTP server on 127.0.0.1:0 recording each request; `handler` answers (default 200 JSON echo). */
export async function upstream (t: Teardown, handler?: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Upstream> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      if (handler !== undefined) return handler(req, res, body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: true, path: req.url }))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${port}`, port, seen, server }
}

/** Copies examples/plugins/<id>/plugin.json into <dir>/plugins, with public hosts swapped for local servers. */
export function installExample (dir: string, id: string, hosts: Record<string, string>): string {
  let text = readFileSync(new URL(`../../examples/plugins/${id}/plugin.json`, import.meta.url), 'utf8')
  for (const [from, to] of Object.entries(hosts)) text = text.replaceAll(from, to)
  return writePlugin(dir, JSON.parse(text), id)
}

/** An empty temp folder to hold plugin folders, removed on teardown. */
export function tempDir (t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-plugins-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** GET with the path sent byte for byte (app.inject and fetch would resolve "..", "%2e" and "\\" first). */
export async function rawGet (app: FastifyInstance, path: string, headers: Record<string, string> = {}): Promise<{
  statusCode: number, headers: IncomingMessage['headers'], body: string, json: () => any
}> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, res => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        resolve({ statusCode: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

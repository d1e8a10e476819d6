// The web UI: decorates `ui` (its files by path under public/) and `reply.sendAppShell()` (the HTML
// page every UI route and the sign-in page answer with). The routes live in routes/ui.ts.
import fp from 'fastify-plugin'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { homePath } from '../config/load.js'
import { VERSION } from './version.js'
import { loadAssets, renderShell, type Asset } from './ui/assets.js'

declare module 'fastify' {
  interface FastifyInstance {
    ui: { asset: (path: string) => Asset | undefined }
  }
  interface FastifyReply {
    sendAppShell: () => FastifyReply
  }
}

async function uiPlugin (app: FastifyInstance): Promise<void> {
  const { auth, server } = app.config
  const dir = join(homePath(), 'ui')
  const assets = loadAssets(dir)
  const shell = renderShell(readFileSync(join(dir, 'index.html'), 'utf8'), {
    appSubUrl: server.appSubUrl,
    disableLoginForm: auth.disableLoginForm,
    version: VERSION
  })
  app.log.child({ logger: 'ui' }).debug({ files: assets.size }, 'Web UI loaded')

  app.decorate('ui', { asset: (path: string) => assets.get(path) })
  app.decorateReply('sendAppShell', function (this: FastifyReply) {
    return this.code(200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', shell.csp)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(shell.html)
  })
}

export default fp(uiPlugin, { name: 'ui', dependencies: ['config'] })

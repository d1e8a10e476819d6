// The web UI's pages (one HTML shell; the page's modules route on the client) and its files under
// /public/. A browser that is not signed in is sent to /login and comes back after, as in Grafana.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Client-side routes; each answers with the shell. */
const UI_PAGES = ['/', '/profile', '/org/*', '/datasources', '/datasources/*', '/gatehouse/*']

export default async function uiRoutes (app: FastifyInstance): Promise<void> {
  const { server } = app.config
  const home = `${server.appSubUrl}/`

  app.get('/public/*', { config: { auth: 'none' } }, async (request, reply) => {
    const asset = app.ui.asset((request.params as { '*': string })['*'])
    if (asset === undefined) return reply.code(404).send({ message: 'Not found' })
    reply.header('content-type', asset.type).header('etag', asset.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff')
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
    return reply.send(asset.body)
  })

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.identity === null) {
      // Where the browser was going, as the browser sees it (the proxy may have stripped the sub path).
      const target = server.serveFromSubPath ? request.url : `${server.appSubUrl}${request.url}`
      if (target !== home) reply.setRedirectCookie(target)
      return reply.redirect(`${server.appSubUrl}/login`, 302)
    }
    return reply.sendAppShell()
  }
  for (const url of UI_PAGES) app.get(url, { config: { auth: 'optional' } }, page)
}

// POST /login (session cookie), GET /logout, GET /api/login/ping.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LoginBodySchema, LoginResponseSchema } from '../schemas/login.js'
import { ErrorResponses, MessageSchema } from '../schemas/common.js'
import { ERR_LOGIN_DISABLED } from '../plugins/errors/codes.js'
import { safeRedirect } from '../plugins/sessions/redirect.js'
import { REDIRECT_COOKIE } from '../plugins/sessions.js'

/** Accept names application/json (or a +json type) and no HTML. */
function wantsJsonOnly (accept = ''): boolean {
  const a = accept.toLowerCase()
  return /application\/(?:[\w.-]+\+)?json/.test(a) && !a.includes('text/html')
}

const login: FastifyPluginAsyncTypebox = async (app) => {
  const { auth, server } = app.config
  const home = `${server.appSubUrl}/`

  app.post('/login', {
    config: { auth: 'none', badRequestMessage: 'bad login data' },
    schema: { body: LoginBodySchema, response: { 200: LoginResponseSchema, ...ErrorResponses } }
  }, async (request, reply) => {
    if (auth.disableLoginForm) throw new ERR_LOGIN_DISABLED()
    let user
    try {
      user = await app.passwordLogin.login(request.body.user, request.body.password, request.ip)
    } catch (err) {
      app.metrics.logins.inc({ method: 'password', result: 'failure' })
      throw err
    }
    const { token } = await app.sessions.create(user.id, request.headers['user-agent'] ?? '', request.ip)
    app.metrics.logins.inc({ method: 'password', result: 'success' })
    reply.setSessionCookie(token)
    const redirectUrl = safeRedirect(request.cookies[REDIRECT_COOKIE], server.appSubUrl) ?? home
    if (request.cookies[REDIRECT_COOKIE] !== undefined) reply.clearRedirectCookie()
    return { message: 'Logged in', redirectUrl }
  })

  // A signed-in browser (session, or the auth proxy with enable_login_token) goes on to where it
  // was heading. Like Grafana, everyone else gets the sign-in page (curl's Accept: */* too); only a
  // client that asks for JSON and not HTML gets a hint in JSON.
  app.get('/login', { config: { auth: 'optional' } }, async (request, reply) => {
    if (request.identity !== null) {
      const target = safeRedirect(request.cookies[REDIRECT_COOKIE], server.appSubUrl) ?? home
      if (request.cookies[REDIRECT_COOKIE] !== undefined) reply.clearRedirectCookie()
      return reply.redirect(target, 302)
    }
    if (wantsJsonOnly(request.headers.accept)) return reply.code(200).send({ message: 'Sign in with POST /login {"user","password"}' })
    return reply.sendAppShell()
  })

  app.get('/logout', { config: { auth: 'optional' } }, async (request, reply) => {
    const sessionId = request.identity?.sessionId
    if (sessionId !== undefined) await app.sessions.revoke(sessionId)
    reply.clearSessionCookie()
    return reply.redirect(auth.signoutRedirectUrl !== '' ? auth.signoutRedirectUrl : `${server.appSubUrl}/login`, 302)
  })

  app.get('/api/login/ping', { schema: { response: { 200: MessageSchema } } }, async () => ({ message: 'Logged in' }))
}

export default login

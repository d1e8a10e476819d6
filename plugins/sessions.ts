// Login sessions and their cookies: decorates `sessions` and reply helpers to set or clear the
// session cookie and the redirect_to cookie (where the sign-in page sends the browser back to).
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { CookieSerializeOptions } from '@fastify/cookie'
import { Sessions } from './sessions/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions
  }
  interface FastifyReply {
    setSessionCookie: (token: string) => FastifyReply
    clearSessionCookie: () => FastifyReply
    setRedirectCookie: (target: string) => FastifyReply
    clearRedirectCookie: () => FastifyReply
  }
}

export const REDIRECT_COOKIE = 'redirect_to'

async function sessionsPlugin (app: FastifyInstance): Promise<void> {
  const { auth, security, server } = app.config
  await app.register(cookie)
  const sessions = new Sessions(app.db, security.secretKeys.current, {
    maxInactiveMs: auth.loginMaximumInactiveLifetimeMs,
    maxLifetimeMs: auth.loginMaximumLifetimeMs,
    rotationMs: auth.tokenRotationIntervalMs
  })
  app.decorate('sessions', sessions)

  // Secure when configured, or when the public URL is https anyway.
  const secure = security.cookieSecure || server.rootUrl.startsWith('https:')
  const base: CookieSerializeOptions = {
    path: server.appSubUrl === '' ? '/' : server.appSubUrl,
    httpOnly: true,
    secure,
    ...(security.cookieSameSite === 'disabled' ? {} : { sameSite: security.cookieSameSite })
  }
  const maxAge = Math.floor(auth.loginMaximumLifetimeMs / 1000)

  app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string) {
    this.setCookie(auth.loginCookieName, token, { ...base, maxAge })
    // Grafana's frontend reads this (not HttpOnly) to know when to expect a rotation.
    const expiry = Math.floor((Date.now() + auth.tokenRotationIntervalMs) / 1000) - 5
    this.setCookie(`${auth.loginCookieName}_expiry`, String(expiry), { ...base, httpOnly: false, maxAge })
    return this
  })
  app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
    this.clearCookie(auth.loginCookieName, base)
    this.clearCookie(`${auth.loginCookieName}_expiry`, { ...base, httpOnly: false })
    return this
  })

  // Set and cleared with the same attributes, on the web UI's home path.
  const redirect: CookieSerializeOptions = { path: `${server.appSubUrl}/`, httpOnly: true, sameSite: 'lax', secure }
  app.decorateReply('setRedirectCookie', function (this: FastifyReply, target: string) {
    return this.setCookie(REDIRECT_COOKIE, target, redirect)
  })
  app.decorateReply('clearRedirectCookie', function (this: FastifyReply) {
    return this.clearCookie(REDIRECT_COOKIE, redirect)
  })
}

export default fp(sessionsPlugin, { name: 'sessions', dependencies: ['config', 'db'] })

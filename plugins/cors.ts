// CORS, off by default like Grafana: with [cors] allowed_origins empty this plugin registers
// nothing and no response carries an Access-Control-* header. When origins are listed,
// @fastify/cors answers preflights in an onRequest hook registered before authentication (a
// browser never sends credentials on a preflight), with the origin decided by the origin policy.
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'

async function corsPlugin (app: FastifyInstance): Promise<void> {
  const c = app.config.cors
  if (!c.allowAny && c.allowedOrigins.length === 0) return
  const log = app.log.child({ logger: 'cors' })

  if (c.allowPrivateNetwork) {
    // Chrome's Private Network Access preflight; @fastify/cors has no option for it.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'OPTIONS' && request.headers['access-control-request-private-network'] === 'true' &&
        app.originPolicy.cors(request.headers.origin).allowed) {
        reply.header('Access-Control-Allow-Private-Network', 'true')
      }
    })
  }

  await app.register(cors, {
    origin: (origin, cb) => {
      const verdict = app.originPolicy.cors(origin)
      // Echo the one allowed origin, never '*', so credentials stay possible and caches key on Vary.
      if (verdict.allowed) return cb(null, origin as string)
      if (origin !== undefined) {
        log.debug({ origin, reason: verdict.rule }, 'CORS origin not allowed')
        app.activity.originRefused('cors') // activity: the origin-refusal call site for CORS
      }
      cb(null, false)
    },
    credentials: c.allowCredentials,
    methods: c.allowedMethods,
    allowedHeaders: c.allowedHeaders,
    // Absent keys, not undefined: @fastify/cors would print "undefined" or an empty header.
    ...(c.exposedHeaders.length > 0 ? { exposedHeaders: c.exposedHeaders } : {}),
    ...(c.maxAgeSeconds >= 0 ? { maxAge: c.maxAgeSeconds } : {}),
    // An OPTIONS without Access-Control-Request-Method is not a preflight; answer it, don't 400 in text.
    strictPreflight: false,
    optionsSuccessStatus: 204
  })
}

export default fp(corsPlugin, { name: 'cors', dependencies: ['config', 'origin-policy', 'activity'] })

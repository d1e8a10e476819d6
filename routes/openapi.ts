// The OpenAPI document at Grafana's own address (/public/openapi3.json) and an interactive page on
// it at /swagger (@fastify/swagger-ui's files, served from node_modules: no CDN). Both are public,
// as in Grafana: the document names routes and shapes, never data.
import type { FastifyInstance } from 'fastify'
import swaggerUi from '@fastify/swagger-ui'

// The page's own policy: the UI shell's is stricter than Swagger UI can live with (it sets inline
// styles), and nothing may come from elsewhere (no validator badge, no fonts from a CDN).
const SWAGGER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

export default async function openapiRoutes (app: FastifyInstance): Promise<void> {
  const { server } = app.config
  app.get('/public/openapi3.json', {
    config: { auth: 'none' },
    schema: { summary: 'This OpenAPI document', response: { 200: { type: 'object', additionalProperties: true } } }
  }, async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()))

  await app.register(swaggerUi, {
    routePrefix: '/swagger',
    // The page's links are absolute: under a sub path they need it in front.
    indexPrefix: server.appSubUrl,
    staticCSP: SWAGGER_CSP,
    validatorUrl: false,
    uiConfig: { deepLinking: true },
    theme: { title: 'Gatehouse API' }
  })
}

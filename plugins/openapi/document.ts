// The parts of the OpenAPI document that do not come from the route schemas: who may call (security
// schemes), in which org (X-Grafana-Org-Id), what errors look like, and which paths are Gatehouse's
// own. Plain functions over the document @fastify/swagger builds; they know nothing of Fastify.
import type { FastifyContextConfig } from 'fastify'

type Json = Record<string, any>

/** Paths Grafana does not have: marked with x-gatehouse-extension and tagged. */
export const EXTENSION_PREFIXES = ['/api/gatehouse/']
export const EXTENSION_TAG = 'Gatehouse extensions'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export function baseDocument (version: string, cookieName: string, serverUrl: string): Json {
  return {
    openapi: '3.1.0',
    servers: [{ url: serverUrl }],
    info: {
      title: 'Gatehouse HTTP API',
      version,
      description: 'Grafana\'s HTTP API as Gatehouse serves it (same paths, shapes and messages). ' +
        `Operations tagged "${EXTENSION_TAG}" (x-gatehouse-extension: true) are Gatehouse's own and do not exist in Grafana.`
    },
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'A user\'s login (or email) and password.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key or a service-account token (glsa_…).' },
        session: { type: 'apiKey', in: 'cookie', name: cookieName, description: 'The session cookie POST /login sets.' }
      },
      parameters: {
        OrgId: {
          name: 'X-Grafana-Org-Id',
          in: 'header',
          required: false,
          description: 'The org to act in (a member of several orgs); ?targetOrgId= wins over it. Default: the user\'s current org.',
          schema: { type: 'integer', minimum: 1 }
        }
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['message'],
          properties: {
            message: { type: 'string' },
            messageId: { type: 'string' },
            statusCode: { type: 'integer' },
            status: { type: 'string', description: 'Why a save was refused (version-mismatch, name-exists, …).' }
          }
        }
      },
      responses: {
        Unauthorized: { description: 'No valid credentials.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Forbidden: { description: 'The identity lacks the role.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ServerError: {
          description: 'Gatehouse or a dependency failed (the message never carries internals).',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
        }
      }
    },
    security: [{ basic: [] }, { bearer: [] }, { session: [] }]
  }
}

/** Per-operation facts taken from the route's config; swagger copies x- keys onto the operation. */
/** `url` without root_url's sub path: under /api/ authentication is required unless the route says otherwise (as plugins/auth.ts decides). */
export function operationFacts (url: string, config: FastifyContextConfig | undefined): Json {
  const auth = config?.auth ?? (url.startsWith('/api/') ? 'required' : 'optional')
  const facts: Json = {}
  if (auth === 'none') facts.security = []
  // An empty requirement makes credentials optional (OpenAPI's way of saying "anonymous works too").
  if (auth === 'optional') facts.security = [{}, { basic: [] }, { bearer: [] }, { session: [] }]
  const who = config?.serverAdmin === true ? 'Grafana server admin' : config?.orgRole !== undefined ? `${config.orgRole} (or more) in the org` : undefined
  if (who !== undefined) facts['x-gatehouse-requires'] = who
  if (EXTENSION_PREFIXES.some(p => url.startsWith(p))) {
    facts['x-gatehouse-extension'] = true
    facts.tags = [EXTENSION_TAG]
  }
  return facts
}

/** Adds what every operation shares: the org header, 401/403 where credentials count, 5XX. */
export function finishDocument (doc: Json): Json {
  for (const [path, item] of Object.entries(doc.paths ?? {}) as Array<[string, Json]>) {
    // OpenAPI 3.1 has no QUERY method (3.2 does): the proxy's app.all() registers it, the document says so in words.
    if (item.query !== undefined) {
      delete item.query
      item.description = 'Also answers the QUERY method, which OpenAPI 3.1 cannot describe.'
    }
    for (const method of METHODS) {
      if (item[method] === undefined) continue
      // swagger shares one operation object among a route's methods: each gets its own.
      const op = item[method] = structuredClone(item[method])
      if (op.tags === undefined) op.tags = [tagOf(path)]
      const authenticated = !(Array.isArray(op.security) && (op.security.length === 0 || Object.keys(op.security[0]).length === 0))
      const responses = op.responses ?? (op.responses = {})
      delete responses.default // swagger's placeholder when a route lists no responses
      if (Object.keys(responses).length === 0) responses['200'] = { description: 'OK' }
      if (authenticated) {
        op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/OrgId' }]
        responses['401'] ??= { $ref: '#/components/responses/Unauthorized' }
        responses['403'] ??= { $ref: '#/components/responses/Forbidden' }
      }
      responses['5XX'] ??= { $ref: '#/components/responses/ServerError' }
    }
  }
  return doc
}

/** "/api/datasources/uid/{uid}" → "datasources"; "/login" → "login". */
function tagOf (path: string): string {
  const parts = path.split('/').filter(Boolean)
  return (parts[0] === 'api' ? parts[1] : parts[0]) ?? 'root'
}

// Routes that are not part of the HTTP API and so stay out of the OpenAPI document, each with why.
// The completeness test (test/routes/openapi.test.ts) holds its own copy of this list: a route
// cannot quietly disappear from the document by being added here. /swagger and its files (the
// page on this document) hide themselves: @fastify/swagger-ui marks them.

/** Route URL (without root_url's sub path) → why it is not documented. */
export const UNDOCUMENTED: Readonly<Record<string, string>> = {
  '/': 'web UI page (HTML shell)',
  '/profile': 'web UI page (HTML shell)',
  '/org/*': 'web UI pages (HTML shell)',
  '/datasources': 'web UI page (HTML shell)',
  '/datasources/*': 'web UI pages (HTML shell)',
  '/gatehouse/*': 'web UI pages (HTML shell)',
  '/public/*': 'web UI files (scripts, styles, images)',
  '/api/live/ws': 'websocket (Centrifuge protocol), not a request/response endpoint'
}

export function isUndocumented (url: string, route: { websocket?: boolean }): boolean {
  return UNDOCUMENTED[url] !== undefined || route.websocket === true
}

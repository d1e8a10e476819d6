// Which org a request asks to act in: ?targetOrgId= first, then X-Grafana-Org-Id (Grafana's order).
import type { FastifyRequest } from 'fastify'

function positiveInt (v: unknown): number | undefined {
  const s = Array.isArray(v) ? v[0] : v
  if (typeof s !== 'string' || !/^\d{1,9}$/.test(s.trim())) return undefined
  const n = Number(s)
  return n > 0 ? n : undefined
}

export function requestedOrgId (request: FastifyRequest): number | undefined {
  const query = request.query as Record<string, unknown> | undefined
  return positiveInt(query?.targetOrgId) ?? positiveInt(request.headers['x-grafana-org-id'])
}

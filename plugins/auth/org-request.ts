// Which org a request asks to act in: ?targetOrgId= first, then X-Grafana-Org-Id (Grafana's order).
import type { AuthRequest } from './provider.js'

function positiveInt (v: unknown): number | undefined {
  const s = Array.isArray(v) ? v[0] : v
  if (typeof s !== 'string' || !/^\d{1,9}$/.test(s.trim())) return undefined
  const n = Number(s)
  return n > 0 ? n : undefined
}

export function requestedOrgId (request: Pick<AuthRequest, 'query' | 'headers'>): number | undefined {
  const query = request.query as Record<string, unknown> | undefined
  return positiveInt(query?.targetOrgId) ?? positiveInt(request.headers['x-grafana-org-id'])
}

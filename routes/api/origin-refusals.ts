// Who the origin rules refused, or would refuse in report-only mode, on this instance: the list,
// and the same grouped by origin with the origin doctor's config lines. Org Admins only: it
// reveals the policy and other users' origins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponses } from '../../schemas/common.js'
import { OriginRefusalsSchema } from '../../schemas/origin-refusals.js'
import type { OriginSurface } from '../../plugins/origin-policy/refusals.js'

const originRefusals: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/gatehouse/origin-refusals', {
    config: { orgRole: 'Admin' },
    schema: { response: { 200: OriginRefusalsSchema, ...ErrorResponses } }
  }, async (request) => {
    const refusals = app.originRefusals.list()
    const groups = new Map<string, { count: number, last: string, surfaces: Set<OriginSurface>, reportedOnly: boolean }>()
    for (const r of refusals) {
      const g = groups.get(r.origin) ?? { count: 0, last: r.time, surfaces: new Set(), reportedOnly: true }
      g.count++
      g.surfaces.add(r.surface)
      g.reportedOnly &&= r.mode === 'reported'
      groups.set(r.origin, g)
    }
    const origins = [...groups].map(([origin, g]) => ({
      origin,
      count: g.count,
      last: g.last,
      surfaces: [...g.surfaces].sort(),
      reportedOnly: g.reportedOnly,
      config: app.originPolicy.explain(origin, request.headers.host).config
    }))
    return { refusals, origins }
  })
}

export default originRefusals

// Which plugin route serves a proxied request (first match in declaration order, on whole
// segments), and whether the caller's role may use it.
import type { Identity } from '../auth/identity.js'
import { hasOrgRole } from '../auth/identity.js'
import type { PluginRoute } from '../plugin-registry/compile.js'
import { matchesSegments, type ProxyPath } from './path.js'

export function findRoute (routes: PluginRoute[], method: string, path: ProxyPath): PluginRoute | undefined {
  for (const route of routes) {
    if (route.method !== '' && route.method !== method) continue
    if (matchesSegments(route.segments, path.match)) return route
  }
  return undefined
}

export function mayUseRoute (route: PluginRoute, identity: Identity): boolean {
  // Gatehouse has no fine-grained permissions: a route guarded by a permission needs an org Admin.
  if (route.reqAction !== undefined) return hasOrgRole(identity, 'Admin')
  return route.reqRole === undefined || hasOrgRole(identity, route.reqRole)
}

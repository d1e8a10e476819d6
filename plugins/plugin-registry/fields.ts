// The settings a data-source plugin's routes read: every {{.JsonData.x}} and {{.SecureJsonData.y}}
// in its plugin.json, so the web UI can build the data-source form from the plugin's needs.
import type { PluginManifest, PluginRouteManifest } from '../../schemas/plugins.js'

export interface PluginFields {
  jsonData: string[]
  secureJsonData: string[]
}

// The same actions plugins/datasource-proxy/template.ts compiles; plugin.json was validated
// against it at load, so anything matched here is a field the proxy really reads.
const ACTION = /\{\{-?\s*\.(JsonData|SecureJsonData)\.([A-Za-z0-9_-]+)[^}]*\}\}/g

/** What compileRoute compiles as templates: not the matching fields, not token scopes (sent as written). */
function templates (r: PluginRouteManifest): unknown[] {
  return [
    r.url,
    ...(r.headers ?? []).map(h => h.content),
    ...(r.urlParams ?? []).flatMap(p => [p.name, p.content]),
    r.body,
    ...[r.tokenAuth, r.jwtTokenAuth].flatMap(a => a === undefined ? [] : [a.url, ...Object.values(a.params ?? {})])
  ]
}

/**
 * The top-level jsonData / secureJsonData keys the routes' templates read (`{{.JsonData.a.b}}`
 * needs key "a"), de-duplicated, in the order they first appear in plugin.json. Computed once,
 * when the plugin is compiled.
 */
export function pluginFields (manifest: Pick<PluginManifest, 'routes'>): PluginFields {
  const found = { JsonData: new Set<string>(), SecureJsonData: new Set<string>() }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(ACTION)) found[m[1] as 'JsonData'].add(m[2]!)
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x)
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x)
    }
  }
  for (const route of manifest.routes ?? []) walk(templates(route))
  return { jsonData: [...found.JsonData], secureJsonData: [...found.SecureJsonData] }
}

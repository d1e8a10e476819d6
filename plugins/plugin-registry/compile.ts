// plugin.json → a validated, compiled plugin: templates parsed and route paths split once, at start.
import { Ajv } from 'ajv'
import type { OrgRole } from '../../config/settings.js'
import { PluginManifestSchema, type PluginManifest, type PluginRouteManifest } from '../../schemas/plugins.js'
import { compileJsonTemplate, compileTemplate, type Template, type TemplateData } from '../datasource-proxy/template.js'
import { routeSegments } from '../datasource-proxy/path.js'
import { pluginFields, type PluginFields } from './fields.js'

export interface CompiledTokenAuth {
  url: Template
  params: Array<[string, Template]>
  scopes: string[]
}

export interface PluginRoute {
  /** As written in plugin.json (names the route in errors, keys the token cache). */
  path: string
  segments: string[]
  wildcard: boolean
  /** Upper-cased; '' matches any method. */
  method: string
  reqRole?: OrgRole
  /** No RBAC in Gatehouse: a route that names a permission needs an org Admin (fails closed). */
  reqAction?: string
  url?: Template
  headers: Array<{ name: string, content: Template }>
  urlParams: Array<{ name: Template, content: Template }>
  body?: (data: TemplateData) => string
  tokenAuth?: CompiledTokenAuth
  jwtTokenAuth?: CompiledTokenAuth
}

export interface Plugin {
  id: string
  name: string
  type: string
  manifest: PluginManifest
  routes: PluginRoute[]
  /** The jsonData and secureJsonData keys the routes read (the data-source form asks for these). */
  fields: PluginFields
}

const ajv = new Ajv({ allErrors: false, strict: false })
const validate = ajv.compile<PluginManifest>(PluginManifestSchema)
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/

function tokenAuth (t: { url: string, scopes?: string[], params?: Record<string, string> }): CompiledTokenAuth {
  return {
    url: compileTemplate(t.url),
    params: Object.entries(t.params ?? {}).map(([k, v]) => [k, compileTemplate(v)]),
    scopes: t.scopes ?? []
  }
}

function compileRoute (r: PluginRouteManifest, i: number): PluginRoute {
  try {
    const { segments, wildcard } = routeSegments(r.path)
    const method = (r.method ?? '').toUpperCase()
    for (const h of r.headers ?? []) if (!HEADER_NAME.test(h.name)) throw new Error(`header name "${h.name}" is not a valid HTTP header name`)
    return {
      path: r.path,
      segments,
      wildcard,
      method: method === '*' ? '' : method,
      ...(r.reqRole !== undefined && r.reqRole !== '' ? { reqRole: r.reqRole } : {}),
      ...(r.reqAction !== undefined && r.reqAction !== '' ? { reqAction: r.reqAction } : {}),
      ...(r.url !== undefined && r.url !== '' ? { url: compileTemplate(r.url) } : {}),
      headers: (r.headers ?? []).map(h => ({ name: h.name, content: compileTemplate(h.content) })),
      urlParams: (r.urlParams ?? []).map(p => ({ name: compileTemplate(p.name), content: compileTemplate(p.content) })),
      ...(r.body !== undefined && r.body !== null ? { body: compileJsonTemplate(r.body) } : {}),
      ...(r.tokenAuth !== undefined ? { tokenAuth: tokenAuth(r.tokenAuth) } : {}),
      ...(r.jwtTokenAuth !== undefined ? { jwtTokenAuth: tokenAuth(r.jwtTokenAuth) } : {})
    }
  } catch (err) {
    throw new Error(`routes[${i}] (path "${r.path}"): ${(err as Error).message}`)
  }
}

/** Throws an Error whose message says what is wrong (never the file content). */
export function compilePlugin (json: unknown): Plugin {
  if (!validate(json)) {
    const e = validate.errors![0]!
    throw new Error(`${e.instancePath === '' ? 'plugin.json' : e.instancePath.slice(1).replaceAll('/', '.')} ${e.message ?? 'is invalid'}`)
  }
  if (json.type !== 'datasource') throw new Error(`type "${json.type}" is not supported (only "datasource" plugins are loaded)`)
  return { id: json.id, name: json.name, type: json.type, manifest: json, routes: (json.routes ?? []).map(compileRoute), fields: pluginFields(json) }
}

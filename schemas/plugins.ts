// plugin.json as Gatehouse reads it (the data-source subset of Grafana's format), GET /api/plugins
// and GET /api/plugins/:pluginId/settings.
import { Type, type Static } from 'typebox'

const NameContent = Type.Object({ name: Type.String({ minLength: 1 }), content: Type.String() })

export const PluginRouteManifestSchema = Type.Object({
  path: Type.String(),
  method: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  reqRole: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('Viewer'), Type.Literal('Editor'), Type.Literal('Admin')])),
  reqAction: Type.Optional(Type.String()),
  authType: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Array(NameContent)),
  urlParams: Type.Optional(Type.Array(NameContent)),
  body: Type.Optional(Type.Unknown()),
  tokenAuth: Type.Optional(Type.Object({
    url: Type.String({ minLength: 1 }),
    scopes: Type.Optional(Type.Array(Type.String())),
    params: Type.Optional(Type.Record(Type.String(), Type.String()))
  })),
  jwtTokenAuth: Type.Optional(Type.Object({
    url: Type.String({ minLength: 1 }),
    scopes: Type.Optional(Type.Array(Type.String())),
    params: Type.Optional(Type.Record(Type.String(), Type.String()))
  }))
})
export type PluginRouteManifest = Static<typeof PluginRouteManifestSchema>

export const PluginManifestSchema = Type.Object({
  type: Type.String(),
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,189}$' }),
  name: Type.String({ minLength: 1 }),
  info: Type.Optional(Type.Object({
    author: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), url: Type.Optional(Type.String()) })),
    description: Type.Optional(Type.String()),
    version: Type.Optional(Type.String()),
    logos: Type.Optional(Type.Object({ small: Type.Optional(Type.String()), large: Type.Optional(Type.String()) }))
  })),
  routes: Type.Optional(Type.Array(PluginRouteManifestSchema))
})
export type PluginManifest = Static<typeof PluginManifestSchema>

export const PluginListItemSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  id: Type.String(),
  enabled: Type.Boolean(),
  pinned: Type.Boolean(),
  info: Type.Object({
    author: Type.Object({ name: Type.String(), url: Type.String() }),
    description: Type.String(),
    logos: Type.Object({ small: Type.String(), large: Type.String() }),
    version: Type.String(),
    updated: Type.String()
  }),
  latestVersion: Type.String(),
  hasUpdate: Type.Boolean(),
  defaultNavUrl: Type.String(),
  category: Type.String(),
  state: Type.String(),
  signature: Type.String(),
  signatureType: Type.String(),
  signatureOrg: Type.String()
})
export type PluginListItem = Static<typeof PluginListItemSchema>

/** Gatehouse's extension: the settings the plugin's routes read, for a form built from them. */
export const PluginFieldsSchema = Type.Object({
  jsonData: Type.Array(Type.String()),
  secureJsonData: Type.Array(Type.String())
})

export const PluginSettingsSchema = Type.Object({
  ...PluginListItemSchema.properties,
  gatehouseFields: PluginFieldsSchema
})
export type PluginSettings = Static<typeof PluginSettingsSchema>

export const PluginIdParamsSchema = Type.Object({ pluginId: Type.String({ minLength: 1, maxLength: 190 }) })

export const PluginListQuerySchema = Type.Object({ type: Type.Optional(Type.String({ maxLength: 50 })) })

// A loaded plugin in Grafana's shapes: the GET /api/plugins list item, and GET
// /api/plugins/:pluginId/settings (the list item plus Gatehouse's `gatehouseFields`).
import type { Plugin } from './compile.js'
import type { PluginListItem, PluginSettings } from '../../schemas/plugins.js'

export function pluginListItem (p: Plugin): PluginListItem {
  const info = p.manifest.info ?? {}
  return {
    name: p.name,
    type: p.type,
    id: p.id,
    enabled: true,
    pinned: false,
    info: {
      author: { name: info.author?.name ?? '', url: info.author?.url ?? '' },
      description: info.description ?? '',
      logos: { small: info.logos?.small ?? '', large: info.logos?.large ?? '' },
      version: info.version ?? '',
      updated: ''
    },
    latestVersion: '',
    hasUpdate: false,
    defaultNavUrl: '',
    category: '',
    state: '',
    signature: 'unsigned',
    signatureType: '',
    signatureOrg: ''
  }
}

export function pluginSettings (p: Plugin): PluginSettings {
  return { ...pluginListItem(p), gatehouseFields: p.fields }
}

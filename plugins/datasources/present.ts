// Rows → Grafana's DTOs. Only secret *names* leave: secureJsonFields lists the keys with a value.
import type { DataSourceRow } from './tables.js'
import type { Plugin } from '../plugin-registry/compile.js'
import type { DataSourceDto, DataSourceListItem } from '../../schemas/datasources.js'

const DEFAULT_LOGO = 'public/img/icn-datasource.svg'

function logo (plugin: Plugin | undefined): string {
  const small = plugin?.manifest.info?.logos?.small
  return plugin !== undefined && small !== undefined && small !== '' ? `public/plugins/${plugin.id}/${small}` : DEFAULT_LOGO
}

export function dataSourceDto (row: DataSourceRow, plugin: Plugin | undefined): DataSourceDto {
  return {
    id: row.id,
    uid: row.uid,
    orgId: row.org_id,
    name: row.name,
    type: row.type,
    typeLogoUrl: logo(plugin),
    access: row.access,
    url: row.url,
    user: row.user,
    database: row.database,
    basicAuth: row.basic_auth,
    basicAuthUser: row.basic_auth_user,
    withCredentials: row.with_credentials,
    isDefault: row.is_default,
    jsonData: row.json_data,
    secureJsonFields: Object.fromEntries(Object.keys(row.secure_json_data).map(k => [k, true])),
    version: row.version,
    readOnly: row.read_only
  }
}

/** Grafana's list item: the data source without its credential details and version, plus the plugin's name. */
export function dataSourceListItem (row: DataSourceRow, plugin: Plugin | undefined): DataSourceListItem {
  const { basicAuthUser, withCredentials, secureJsonFields, version, ...listed } = dataSourceDto(row, plugin)
  return { ...listed, typeName: plugin?.name ?? row.type }
}

// Typed view of the data-source tables (migration 0004).
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp } from '../db/columns.js'

type Json<T> = ColumnType<T, string | undefined, string>

export interface DataKeyTable {
  id: string
  org_id: number
  active: ColumnType<boolean, boolean | undefined, boolean>
  encrypted_data: string
  created: Timestamp
  updated: Timestamp
}

export interface DataSourceTable {
  id: Generated<number>
  org_id: number
  uid: string
  name: string
  type: string
  access: string
  url: string
  user: string
  database: string
  basic_auth: boolean
  basic_auth_user: string
  with_credentials: boolean
  is_default: boolean
  json_data: Json<Record<string, unknown>>
  /** Encrypted values only (see plugins/secure-json). */
  secure_json_data: Json<Record<string, string>>
  version: number
  read_only: ColumnType<boolean, boolean | undefined, boolean>
  created: Timestamp
  updated: Timestamp
}

export interface DataSourceTables {
  data_keys: DataKeyTable
  data_source: DataSourceTable
}

export type DataSourceRow = Selectable<DataSourceTable>
/** What a create or update writes: the row without the columns the database or the store sets (JSON still parsed). */
export type DataSourceFields = Omit<DataSourceRow, 'id' | 'org_id' | 'version' | 'read_only' | 'created' | 'updated'>
export type DataKeyRow = Selectable<DataKeyTable>

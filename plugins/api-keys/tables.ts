// Typed view of the api_key table (migration 0002).
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp, NullableTimestamp } from '../db/columns.js'
import type { OrgRole } from '../../config/settings.js'

export interface ApiKeyTable {
  id: Generated<number>
  org_id: number
  name: string
  key: string
  role: OrgRole
  created: Timestamp
  updated: Timestamp
  last_used_at: NullableTimestamp
  expires: NullableTimestamp
  service_account_id: number | null
  is_revoked: ColumnType<boolean, boolean | undefined, boolean>
}

export interface ApiKeyTables { api_key: ApiKeyTable }
export type ApiKeyRow = Selectable<ApiKeyTable>

// Typed view of the tables, as the migrations leave them.
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp, NullableTimestamp } from './columns.js'
import type { OrgRole } from '../../config/settings.js'
import type { TeamTables } from '../teams/tables.js'
import type { ApiKeyTables } from '../api-keys/tables.js'
import type { DataSourceTables } from '../datasources/tables.js'
import type { DashboardTables } from '../dashboards/tables.js'

export interface OrgTable {
  id: Generated<number>
  name: string
  created: Timestamp
  updated: Timestamp
}

export interface UserTable {
  id: Generated<number>
  login: string
  email: string
  name: string
  /** scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>, or null for users that cannot use a password. */
  password: string | null
  theme: ColumnType<string, string | undefined, string>
  is_admin: boolean
  is_disabled: boolean
  is_service_account: boolean
  /** The org used when a request names none. */
  org_id: number
  created: Timestamp
  updated: Timestamp
  last_seen_at: NullableTimestamp
}

export interface OrgUserTable {
  id: Generated<number>
  org_id: number
  user_id: number
  role: OrgRole
  created: Timestamp
  updated: Timestamp
}

export interface UserAuthTokenTable {
  id: Generated<number>
  user_id: number
  /** HMAC of the token; the token itself is never stored. */
  auth_token: string
  prev_auth_token: string
  user_agent: string
  client_ip: string
  auth_token_seen: boolean
  seen_at: NullableTimestamp
  rotated_at: Timestamp
  created_at: Timestamp
  updated_at: Timestamp
  revoked_at: NullableTimestamp
}

export interface LoginAttemptTable {
  id: Generated<number>
  username: string
  ip_address: string
  created: Timestamp
}

export interface Database extends TeamTables, ApiKeyTables, DataSourceTables, DashboardTables {
  org: OrgTable
  users: UserTable
  org_user: OrgUserTable
  user_auth_token: UserAuthTokenTable
  login_attempt: LoginAttemptTable
}

export type OrgRow = Selectable<OrgTable>
export type UserRow = Selectable<UserTable>
export type UserAuthTokenRow = Selectable<UserAuthTokenTable>

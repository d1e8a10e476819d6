// Typed view of the dashboard tables (migration 0005).
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp } from '../db/columns.js'

export interface DashboardTable {
  id: Generated<number>
  org_id: number
  uid: string
  title: string
  slug: string
  /** JSON text of the model as saved, with id, uid, version and title set by the server. */
  data: string
  version: number
  /** '' for the General folder. */
  folder_uid: ColumnType<string, string | undefined, string>
  created: Timestamp
  updated: Timestamp
  /** User id, or -1 when no user saved it. */
  created_by: number
  updated_by: number
}

export interface DashboardTagTable {
  id: Generated<number>
  dashboard_id: number
  term: string
}

export interface DashboardTables {
  dashboard: DashboardTable
  dashboard_tag: DashboardTagTable
}

export type DashboardRow = Selectable<DashboardTable>

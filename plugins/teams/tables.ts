// Typed view of the team tables (migration 0003).
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp } from '../db/columns.js'

export interface TeamTable {
  id: Generated<number>
  org_id: number
  name: string
  email: ColumnType<string, string | undefined, string>
  created: Timestamp
  updated: Timestamp
}

export interface TeamMemberTable {
  id: Generated<number>
  org_id: number
  team_id: number
  user_id: number
  external: ColumnType<boolean, boolean | undefined, boolean>
  permission: ColumnType<number, number | undefined, number>
  created: Timestamp
  updated: Timestamp
}

export interface TeamGroupTable {
  id: Generated<number>
  org_id: number
  team_id: number
  group_id: string
  created: Timestamp
}

export interface TeamTables {
  team: TeamTable
  team_member: TeamMemberTable
  team_group: TeamGroupTable
}

export type TeamRow = Selectable<TeamTable>

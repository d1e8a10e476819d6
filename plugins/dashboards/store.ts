// Dashboard rows and their tags per org: plain Kysely functions, no HTTP.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/tables.js'
import type { DashboardRow } from './tables.js'
import { containsPattern } from '../db/sql.js'

type Db = Kysely<Database> | Transaction<Database>

export interface DashboardWithUsers extends DashboardRow {
  /** Logins of the creator and last updater, null when no user (or a deleted one). */
  createdByLogin: string | null
  updatedByLogin: string | null
}

export interface DashboardFields {
  uid: string
  title: string
  slug: string
  data: string
  version: number
  folder_uid: string
}

export interface SearchFilter {
  orgId: number
  query: string
  tags: string[]
  ids: number[]
  uids: string[]
  folderUids: string[]
  limit: number
  page: number
  descending: boolean
}

export interface SearchRow {
  id: number
  uid: string
  title: string
  slug: string
  folder_uid: string
  tags: string[]
}

export async function findDashboard (db: Db, orgId: number, ref: { id: number } | { uid: string }): Promise<DashboardRow | undefined> {
  let q = db.selectFrom('dashboard').selectAll().where('org_id', '=', orgId)
  q = 'id' in ref ? q.where('id', '=', ref.id) : q.where('uid', '=', ref.uid)
  return q.executeTakeFirst()
}

export async function findDashboardWithUsers (db: Db, orgId: number, uid: string): Promise<DashboardWithUsers | undefined> {
  return db.selectFrom('dashboard as d')
    .leftJoin('users as c', 'c.id', 'd.created_by')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .selectAll('d')
    .select(['c.login as createdByLogin', 'u.login as updatedByLogin'])
    .where('d.org_id', '=', orgId).where('d.uid', '=', uid)
    .executeTakeFirst()
}

/** Title matching is exact, as Grafana's on PostgreSQL. */
export async function findByTitle (db: Db, orgId: number, folderUid: string, title: string): Promise<DashboardRow | undefined> {
  return db.selectFrom('dashboard').selectAll()
    .where('org_id', '=', orgId).where('folder_uid', '=', folderUid).where('title', '=', title)
    .executeTakeFirst()
}

/** The id a new row will get, so the stored JSON can carry it from the first write. */
export async function nextDashboardId (db: Db): Promise<number> {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('dashboard', 'id'))::integer as id`.execute(db)
  return rows[0]!.id
}

export async function insertDashboard (db: Db, orgId: number, id: number, f: DashboardFields, userId: number): Promise<DashboardRow> {
  return db.insertInto('dashboard')
    .values({ id, org_id: orgId, ...f, created_by: userId, updated_by: userId })
    .returningAll().executeTakeFirstOrThrow()
}

/** Optimistic locking: only the row still at `expectedVersion` is updated. */
export async function updateDashboard (
  db: Db, orgId: number, id: number, expectedVersion: number, f: DashboardFields, userId: number
): Promise<DashboardRow | undefined> {
  return db.updateTable('dashboard')
    .set({ ...f, updated: new Date(), updated_by: userId })
    .where('org_id', '=', orgId).where('id', '=', id).where('version', '=', expectedVersion)
    .returningAll().executeTakeFirst()
}

export async function replaceTags (db: Db, dashboardId: number, tags: string[]): Promise<void> {
  await db.deleteFrom('dashboard_tag').where('dashboard_id', '=', dashboardId).execute()
  if (tags.length > 0) await db.insertInto('dashboard_tag').values(tags.map(term => ({ dashboard_id: dashboardId, term }))).execute()
}

export async function deleteDashboard (db: Db, orgId: number, id: number): Promise<boolean> {
  const res = await db.deleteFrom('dashboard').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  return res.numDeletedRows > 0n
}

export async function searchDashboards (db: Db, f: SearchFilter): Promise<SearchRow[]> {
  let q = db.selectFrom('dashboard as d').select(['d.id', 'd.uid', 'd.title', 'd.slug', 'd.folder_uid']).where('d.org_id', '=', f.orgId)
  if (f.query !== '') q = q.where(sql`lower(d.title)`, 'like', containsPattern(f.query))
  if (f.ids.length > 0) q = q.where('d.id', 'in', f.ids)
  if (f.uids.length > 0) q = q.where('d.uid', 'in', f.uids)
  if (f.folderUids.length > 0) q = q.where('d.folder_uid', 'in', f.folderUids)
  if (f.tags.length > 0) {
    // Every asked-for tag must be on the dashboard (stored tags and `f.tags` hold no duplicates).
    q = q.where(sql`(select count(*) from dashboard_tag t where t.dashboard_id = d.id and t.term in (${sql.join(f.tags)}))`, '=', f.tags.length)
  }
  const dir = f.descending ? 'desc' : 'asc'
  const rows = await q.orderBy(sql`lower(d.title)`, dir).orderBy('d.id', dir).limit(f.limit).offset((f.page - 1) * f.limit).execute()
  if (rows.length === 0) return []
  const tags = await db.selectFrom('dashboard_tag').select(['dashboard_id', 'term']).where('dashboard_id', 'in', rows.map(r => r.id)).orderBy('id').execute()
  const byDashboard = new Map<number, string[]>()
  for (const t of tags) {
    const list = byDashboard.get(t.dashboard_id)
    if (list === undefined) byDashboard.set(t.dashboard_id, [t.term])
    else list.push(t.term)
  }
  return rows.map(r => ({ ...r, tags: byDashboard.get(r.id) ?? [] }))
}

// Orgs and org membership access: plain functions over Kysely.
import { sql, type Kysely } from 'kysely'
import type { Database, OrgRow } from '../db/tables.js'
import type { OrgRole } from '../../config/settings.js'
import { containsPattern } from '../db/sql.js'

type Db = Kysely<Database>

export async function findOrgById (db: Db, id: number): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findOrgByName (db: Db, name: string): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst()
}

export async function insertOrg (db: Db, name: string, id?: number): Promise<OrgRow> {
  return db.insertInto('org').values(id === undefined ? { name } : { id, name }).returningAll().executeTakeFirstOrThrow()
}

export async function renameOrg (db: Db, id: number, name: string): Promise<void> {
  await db.updateTable('org').set({ name, updated: new Date() }).where('id', '=', id).execute()
}

export async function searchOrgs (db: Db, query: string, page: number, perPage: number): Promise<OrgRow[]> {
  let q = db.selectFrom('org').selectAll()
  if (query !== '') q = q.where(sql`lower(name)`, 'like', containsPattern(query))
  return q.orderBy('name').limit(perPage).offset((page - 1) * perPage).execute()
}

export async function membership (db: Db, orgId: number, userId: number): Promise<OrgRole | undefined> {
  const row = await db.selectFrom('org_user').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst()
  return row?.role
}

export async function addMember (db: Db, orgId: number, userId: number, role: OrgRole): Promise<void> {
  await db.insertInto('org_user').values({ org_id: orgId, user_id: userId, role }).execute()
}

export async function setMemberRole (db: Db, orgId: number, userId: number, role: OrgRole): Promise<void> {
  await db.updateTable('org_user').set({ role, updated: new Date() }).where('org_id', '=', orgId).where('user_id', '=', userId).execute()
}

export async function removeMember (db: Db, orgId: number, userId: number): Promise<void> {
  await db.deleteFrom('org_user').where('org_id', '=', orgId).where('user_id', '=', userId).execute()
}

export async function countAdmins (db: Db, orgId: number): Promise<number> {
  const r = await db.selectFrom('org_user').select(eb => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('role', '=', 'Admin').executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function orgsOfUser (db: Db, userId: number): Promise<Array<{ orgId: number, name: string, role: OrgRole }>> {
  const rows = await db.selectFrom('org_user').innerJoin('org', 'org.id', 'org_user.org_id')
    .select(['org.id as orgId', 'org.name as name', 'org_user.role as role'])
    .where('org_user.user_id', '=', userId).orderBy('org.name').execute()
  return rows
}

export interface MemberRow {
  orgId: number
  userId: number
  email: string
  login: string
  name: string
  role: OrgRole
  lastSeenAt: Date | null
}

export async function membersOfOrg (db: Db, orgId: number, query = '', limit = 1000): Promise<MemberRow[]> {
  let q = db.selectFrom('org_user').innerJoin('users', 'users.id', 'org_user.user_id')
    .select([
      'org_user.org_id as orgId', 'users.id as userId', 'users.email', 'users.login', 'users.name', 'org_user.role as role', 'users.last_seen_at as lastSeenAt'
    ])
    .where('org_user.org_id', '=', orgId).where('users.is_service_account', '=', false)
  if (query !== '') {
    const like = containsPattern(query)
    q = q.where(eb => eb.or([eb(sql`lower(users.login)`, 'like', like), eb(sql`lower(users.email)`, 'like', like), eb(sql`lower(users.name)`, 'like', like)]))
  }
  const rows = await q.orderBy('users.login').limit(limit).execute()
  return rows
}

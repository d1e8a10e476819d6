// Users table access: plain functions over Kysely.
import { sql, type Kysely } from 'kysely'
import type { Database, UserRow } from '../db/tables.js'
import { containsPattern } from '../db/sql.js'

type Db = Kysely<Database>

export async function findUserById (db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByLoginOrEmail (db: Db, loginOrEmail: string): Promise<UserRow | undefined> {
  const v = loginOrEmail.toLowerCase()
  // A login match wins over an email match (a user's login may look like another's email).
  return db.selectFrom('users').selectAll()
    .where(eb => eb.or([eb(sql`lower(login)`, '=', v), eb(sql`lower(email)`, '=', v)]))
    .orderBy(sql`case when lower(login) = ${v} then 0 else 1 end`)
    .executeTakeFirst()
}

export async function loginOrEmailTaken (db: Db, login: string, email: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('users').select('id')
    .where(eb => eb.or([
      eb(sql`lower(login)`, 'in', [login.toLowerCase(), email.toLowerCase()]),
      eb(sql`lower(email)`, 'in', [login.toLowerCase(), email.toLowerCase()])
    ]))
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}

export interface NewUser {
  login: string
  email: string
  name: string
  password: string | null
  isAdmin: boolean
  orgId: number
  isServiceAccount?: boolean
  isDisabled?: boolean
}

export async function insertUser (db: Db, u: NewUser): Promise<UserRow> {
  return db.insertInto('users').values({
    login: u.login,
    email: u.email,
    name: u.name,
    password: u.password,
    is_admin: u.isAdmin,
    is_disabled: u.isDisabled ?? false,
    is_service_account: u.isServiceAccount ?? false,
    org_id: u.orgId
  }).returningAll().executeTakeFirstOrThrow()
}

export interface UserSearch { query: string, page: number, perPage: number }

export async function searchUsers (db: Db, s: UserSearch): Promise<{ total: number, users: UserRow[] }> {
  let q = db.selectFrom('users').where('is_service_account', '=', false)
  if (s.query !== '') {
    const like = containsPattern(s.query)
    q = q.where(eb => eb.or([eb(sql`lower(login)`, 'like', like), eb(sql`lower(email)`, 'like', like), eb(sql`lower(name)`, 'like', like)]))
  }
  const [count, users] = await Promise.all([
    q.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.selectAll().orderBy('login').limit(s.perPage).offset((s.page - 1) * s.perPage).execute()
  ])
  return { total: Number(count.n), users }
}

export async function updateUserPassword (db: Db, id: number, encoded: string): Promise<void> {
  await db.updateTable('users').set({ password: encoded, updated: new Date() }).where('id', '=', id).execute()
}

/** Deletes the user; memberships, sessions, tokens and team memberships cascade. */
export async function deleteUser (db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute()
}

/** Profile fields a front end (the auth proxy) or a service account rename changes. */
export type UserChanges = Partial<Pick<UserRow, 'name' | 'email' | 'login' | 'is_disabled'>>

export async function updateUser (db: Db, id: number, changes: UserChanges): Promise<void> {
  await db.updateTable('users').set({ ...changes, updated: new Date() }).where('id', '=', id).execute()
}

export async function deleteServiceAccountUser (db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).where('is_service_account', '=', true).execute()
}

export async function setUserOrg (db: Db, id: number, orgId: number): Promise<void> {
  await db.updateTable('users').set({ org_id: orgId, updated: new Date() }).where('id', '=', id).execute()
}

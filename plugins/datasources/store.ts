// Data-source rows per org: plain Kysely functions, no HTTP and no crypto.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/tables.js'
import type { DataSourceFields, DataSourceRow } from './tables.js'

export type DataSourceRef = { id: number } | { uid: string } | { name: string }
type Db = Kysely<Database> | Transaction<Database>

export async function findDataSource (db: Db, orgId: number, ref: DataSourceRef): Promise<DataSourceRow | undefined> {
  let q = db.selectFrom('data_source').selectAll().where('org_id', '=', orgId)
  if ('id' in ref) q = q.where('id', '=', ref.id)
  else if ('uid' in ref) q = q.where('uid', '=', ref.uid)
  else q = q.where('name', '=', ref.name)
  return q.executeTakeFirst()
}

export async function listDataSources (db: Db, orgId: number): Promise<DataSourceRow[]> {
  return db.selectFrom('data_source').selectAll().where('org_id', '=', orgId).orderBy(sql`lower(name)`).orderBy('id').execute()
}

const columns = (f: DataSourceFields) => ({ ...f, json_data: JSON.stringify(f.json_data), secure_json_data: JSON.stringify(f.secure_json_data) })

export async function insertDataSource (db: Db, orgId: number, f: DataSourceFields): Promise<DataSourceRow> {
  return db.insertInto('data_source').values({ org_id: orgId, ...columns(f), version: 1 }).returningAll().executeTakeFirstOrThrow()
}

/** Optimistic locking as Grafana: with `expected`, only a row whose version is <= expected is updated. */
export async function updateDataSource (
  db: Db, orgId: number, id: number, f: DataSourceFields, version: number, expected?: number
): Promise<DataSourceRow | undefined> {
  let q = db.updateTable('data_source').set({ ...columns(f), version, updated: new Date() }).where('org_id', '=', orgId).where('id', '=', id)
  if (expected !== undefined) q = q.where('version', '<=', expected)
  return q.returningAll().executeTakeFirst()
}

export async function clearOtherDefaults (db: Db, orgId: number, keepId: number): Promise<void> {
  await db.updateTable('data_source').set({ is_default: false }).where('org_id', '=', orgId).where('id', '!=', keepId).where('is_default', '=', true).execute()
}

export async function deleteDataSource (db: Db, orgId: number, id: number): Promise<boolean> {
  const res = await db.deleteFrom('data_source').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  return res.numDeletedRows > 0n
}

// Data sources of an org: Grafana's add/update/delete rules (first one is the default, optimistic
// locking, secureJsonData merge), and the decrypted view the proxy reads from a short cache.
import { SingleFlightCache } from '../cache/single-flight.js'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { SecureJson } from '../secure-json/values.js'
import type { DataSourceFields, DataSourceRow } from './tables.js'
import type { AddDataSourceBody, UpdateDataSourceBody } from '../../schemas/datasources.js'
import {
  ERR_DS_INVALID_URL, ERR_DS_NAME_EXISTS, ERR_DS_NOT_FOUND, ERR_DS_READ_ONLY, ERR_DS_RESERVED_HEADER, ERR_DS_UID_EXISTS, ERR_DS_VERSION_CONFLICT
} from '../errors/codes.js'
import { clearOtherDefaults, deleteDataSource, findDataSource, insertDataSource, listDataSources, updateDataSource, type DataSourceRef } from './store.js'
import { generateUid, validUrl } from './validate.js'
import { reservedHeader } from './reserved-headers.js'
import { isUniqueViolation } from '../db/sql.js'

/** A data source with its secrets decrypted: only ever handed to the proxy, never serialised. */
export interface ResolvedDataSource {
  row: DataSourceRow
  secure: Record<string, string>
}

// Another instance's update is seen within this time; this instance's own updates drop the entry at once.
const RESOLVED_TTL_MS = 5_000

export class DataSources {
  private readonly resolved = new SingleFlightCache<ResolvedDataSource>({ max: 5_000, ttl: RESOLVED_TTL_MS })
  private readonly listeners: Array<(row: DataSourceRow) => void> = []

  constructor (private readonly db: Kysely<Database>, private readonly secureJson: SecureJson, private readonly reservedHeaders: Set<string>) {}

  /** Called after a data source changed or was deleted (token caches drop its entries). */
  onChange (listener: (row: DataSourceRow) => void): void {
    this.listeners.push(listener)
  }

  list (orgId: number): Promise<DataSourceRow[]> {
    return listDataSources(this.db, orgId)
  }

  async get (orgId: number, ref: DataSourceRef): Promise<DataSourceRow> {
    const row = await findDataSource(this.db, orgId, ref)
    if (row === undefined) throw new ERR_DS_NOT_FOUND()
    return row
  }

  async add (orgId: number, cmd: AddDataSourceBody): Promise<DataSourceRow> {
    this.check(cmd, 'Failed to add datasource')
    const fields = this.fields(
      cmd, cmd.uid !== undefined && cmd.uid !== '' ? cmd.uid : generateUid(), await this.secureJson.encrypt(orgId, cmd.secureJsonData ?? {})
    )
    return this.conflicts('', () => this.db.transaction().execute(async trx => {
      if (!fields.is_default) fields.is_default = (await listDataSources(trx, orgId)).length === 0
      const row = await insertDataSource(trx, orgId, fields)
      if (row.is_default) await clearOtherDefaults(trx, orgId, row.id)
      return row
    }))
  }

  async update (orgId: number, ref: DataSourceRef, cmd: UpdateDataSourceBody): Promise<DataSourceRow> {
    this.check(cmd, 'Failed to update datasource')
    const old = await this.get(orgId, ref)
    if (old.read_only) throw new ERR_DS_READ_ONLY('update')
    // Grafana's merge: an omitted key keeps its value, a key sent as "" is cleared.
    const secure = { ...old.secure_json_data }
    const sent = cmd.secureJsonData ?? {}
    for (const k of Object.keys(sent)) delete secure[k]
    Object.assign(secure, await this.secureJson.encrypt(orgId, sent))
    const fields = this.fields(cmd, cmd.uid !== undefined && cmd.uid !== '' ? cmd.uid : old.uid, secure)
    const expected = cmd.version !== undefined && cmd.version !== 0 ? cmd.version : undefined
    const row = await this.conflicts('Failed to update datasource: ', () => this.db.transaction().execute(async trx => {
      const updated = await updateDataSource(trx, orgId, old.id, fields, (expected ?? old.version) + 1, expected)
      if (updated?.is_default === true) await clearOtherDefaults(trx, orgId, updated.id)
      return updated
    }))
    if (row === undefined) throw new ERR_DS_VERSION_CONFLICT()
    this.changed(old)
    return row
  }

  async remove (orgId: number, ref: DataSourceRef): Promise<DataSourceRow> {
    const row = await this.get(orgId, ref)
    if (row.read_only) throw new ERR_DS_READ_ONLY('delete')
    if (!await deleteDataSource(this.db, orgId, row.id)) throw new ERR_DS_NOT_FOUND()
    this.changed(row)
    return row
  }

  /** For the proxy: row plus decrypted secrets, decrypted once per cache period, not per request. */
  async resolve (orgId: number, ref: { id: number } | { uid: string }): Promise<ResolvedDataSource | undefined> {
    const key = 'id' in ref ? `${orgId}/id/${ref.id}` : `${orgId}/uid/${ref.uid}`
    return await this.resolved.get(key, () => this.load(orgId, ref))
  }

  private async load (orgId: number, ref: { id: number } | { uid: string }): Promise<ResolvedDataSource | undefined> {
    const row = await findDataSource(this.db, orgId, ref)
    if (row === undefined) return undefined
    return { row, secure: await this.secureJson.decrypt(orgId, row.secure_json_data) }
  }

  private changed (row: DataSourceRow): void {
    this.resolved.invalidate(`${row.org_id}/id/${row.id}`, `${row.org_id}/uid/${row.uid}`)
    for (const l of this.listeners) l(row)
  }

  private check (cmd: AddDataSourceBody, failure: string): void {
    if (!validUrl(cmd.type, cmd.url ?? '')) throw new ERR_DS_INVALID_URL()
    const reserved = reservedHeader((cmd.jsonData ?? {}) as Record<string, unknown>, this.reservedHeaders)
    if (reserved !== undefined) throw new ERR_DS_RESERVED_HEADER(failure, reserved)
  }

  private fields (cmd: AddDataSourceBody, uid: string, secure: Record<string, string>): DataSourceFields {
    return {
      uid,
      name: cmd.name,
      type: cmd.type,
      access: cmd.access,
      url: cmd.url ?? '',
      user: cmd.user ?? '',
      database: cmd.database ?? '',
      basic_auth: cmd.basicAuth ?? false,
      basic_auth_user: cmd.basicAuthUser ?? '',
      with_credentials: cmd.withCredentials ?? false,
      is_default: cmd.isDefault ?? false,
      json_data: (cmd.jsonData ?? {}) as Record<string, unknown>,
      secure_json_data: secure
    }
  }

  private async conflicts<T> (prefix: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      if (isUniqueViolation(err, 'data_source_org_uid')) throw new ERR_DS_UID_EXISTS(prefix)
      throw new ERR_DS_NAME_EXISTS(prefix)
    }
  }
}

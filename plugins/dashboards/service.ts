// Dashboards of an org: Grafana's save rules (create, or update by id or uid with an optimistic
// version; one title per folder; `overwrite` wins both), read, delete and search. Every saved or
// deleted dashboard is announced on `events` once the change is committed.
import { EventEmitter } from 'node:events'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { DashboardRow } from './tables.js'
import { hasOrgRole, type Identity } from '../auth/identity.js'
import { generateUid } from '../datasources/validate.js'
import { slugify } from './slugify.js'
import {
  deleteDashboard, findByTitle, findDashboard, findDashboardWithUsers, insertDashboard, nextDashboardId, replaceTags, searchDashboards,
  updateDashboard, type DashboardFields, type DashboardWithUsers, type SearchFilter, type SearchRow
} from './store.js'
import {
  ERR_DASHBOARD_IS_FOLDER, ERR_DASHBOARD_MESSAGE_TOO_LONG, ERR_DASHBOARD_NAME_EXISTS, ERR_DASHBOARD_NOT_FOUND, ERR_DASHBOARD_TITLE_EMPTY,
  ERR_DASHBOARD_TITLE_TOO_LONG, ERR_DASHBOARD_TO_UPDATE_NOT_FOUND, ERR_DASHBOARD_UID_EXISTS, ERR_DASHBOARD_UID_INVALID,
  ERR_DASHBOARD_UID_TOO_LONG, ERR_DASHBOARD_VERSION_MISMATCH
} from '../errors/codes.js'
import { isUniqueViolation } from '../db/sql.js'

export interface DashboardChange {
  orgId: number
  uid: string
  action: 'saved' | 'deleted'
}

export interface SaveDashboardCommand {
  dashboard: Record<string, unknown>
  folderUid?: string
  overwrite?: boolean
  message?: string
  isFolder?: boolean
}

const UID = /^[a-zA-Z0-9_-]*$/

/** Grafana reads tags only when every element is a string; duplicates are stored once. */
function tagsOf (value: unknown): string[] {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) return []
  return [...new Set(value as string[])]
}

export class Dashboards {
  /** 'change' after every committed save or delete. A listener that throws or rejects is reported to `onListenerError` and never fails the request. */
  readonly events = new EventEmitter<{ change: [DashboardChange], error: [unknown] }>({ captureRejections: true })

  constructor (private readonly db: Kysely<Database>, private readonly onListenerError: (err: unknown) => void = () => {}) {
    this.events.on('error', err => { this.onListenerError(err) })
  }

  async save (identity: Identity, cmd: SaveDashboardCommand): Promise<DashboardRow> {
    if (cmd.isFolder === true) throw new ERR_DASHBOARD_IS_FOLDER()
    const orgId = identity.orgId
    const json = cmd.dashboard
    const title = typeof json.title === 'string' ? json.title.trim() : ''
    if (title === '') throw new ERR_DASHBOARD_TITLE_EMPTY()
    if (title.length > 5000) throw new ERR_DASHBOARD_TITLE_TOO_LONG()
    if ((cmd.message ?? '').length > 500) throw new ERR_DASHBOARD_MESSAGE_TOO_LONG()
    // Grafana's reading of the model: a numeric id or a string uid makes it an update, and only then is
    // its version taken; a missing version on an update is 0, which mismatches any stored dashboard.
    const update = typeof json.id === 'number' || typeof json.uid === 'string'
    let id = typeof json.id === 'number' ? Math.trunc(json.id) : 0
    let uid = typeof json.uid === 'string' ? json.uid : ''
    let version = update && typeof json.version === 'number' ? Math.trunc(json.version) : 0
    if (!UID.test(uid)) throw new ERR_DASHBOARD_UID_INVALID()
    if (uid.length > 40) throw new ERR_DASHBOARD_UID_TOO_LONG()
    const folderUid = cmd.folderUid ?? ''
    const overwrite = cmd.overwrite === true
    const userId = identity.userId ?? -1
    const tags = tagsOf(json.tags)

    const row = await this.conflicts(() => this.db.transaction().execute(async trx => {
      let existing: DashboardRow | undefined
      if (id > 0) {
        existing = await findDashboard(trx, orgId, { id })
        if (existing === undefined) throw new ERR_DASHBOARD_TO_UPDATE_NOT_FOUND()
        if (uid === '') uid = existing.uid
      }
      const byUid = uid !== '' ? await findDashboard(trx, orgId, { uid }) : undefined
      if (existing !== undefined && byUid !== undefined && existing.id !== byUid.id) throw new ERR_DASHBOARD_UID_EXISTS()
      existing ??= byUid
      if (existing !== undefined) {
        id = existing.id
        if (version !== existing.version) {
          if (!overwrite) throw new ERR_DASHBOARD_VERSION_MISMATCH()
          version = existing.version
        }
      }
      const sameTitle = await findByTitle(trx, orgId, folderUid, title)
      if (sameTitle !== undefined && sameTitle.id !== id) {
        if (!overwrite) throw new ERR_DASHBOARD_NAME_EXISTS()
        // Grafana's overwrite replaces the dashboard that holds the title.
        existing = sameTitle
        id = sameTitle.id
        uid = sameTitle.uid
        version = sameTitle.version
      }

      const fields = (rowId: number, rowUid: string, rowVersion: number): DashboardFields => ({
        uid: rowUid,
        title,
        slug: slugify(title),
        data: JSON.stringify({ ...json, id: rowId, uid: rowUid, title, version: rowVersion }),
        version: rowVersion,
        folder_uid: folderUid
      })
      let saved: DashboardRow | undefined
      if (existing === undefined) {
        const newId = await nextDashboardId(trx)
        saved = await insertDashboard(trx, orgId, newId, fields(newId, uid !== '' ? uid : generateUid(), 1), userId)
      } else {
        saved = await updateDashboard(trx, orgId, existing.id, version, fields(existing.id, uid, version + 1), userId)
        // Someone else saved between our read and write.
        if (saved === undefined) throw new ERR_DASHBOARD_VERSION_MISMATCH()
      }
      await replaceTags(trx, saved.id, tags)
      return saved
    }))
    this.announce({ orgId, uid: row.uid, action: 'saved' })
    return row
  }

  async get (orgId: number, uid: string): Promise<DashboardWithUsers> {
    const row = await findDashboardWithUsers(this.db, orgId, uid)
    if (row === undefined) throw new ERR_DASHBOARD_NOT_FOUND()
    return row
  }

  async remove (orgId: number, uid: string): Promise<DashboardRow> {
    const row = await findDashboard(this.db, orgId, { uid })
    if (row === undefined || !await deleteDashboard(this.db, orgId, row.id)) throw new ERR_DASHBOARD_NOT_FOUND()
    this.announce({ orgId, uid: row.uid, action: 'deleted' })
    return row
  }

  search (filter: SearchFilter): Promise<SearchRow[]> {
    return searchDashboards(this.db, filter)
  }

  /** For Live and other readers: the dashboard exists in the identity's org and the identity may view it there. */
  async canRead (identity: Identity, uid: string): Promise<boolean> {
    if (!hasOrgRole(identity, 'Viewer')) return false
    return (await findDashboard(this.db, identity.orgId, { uid })) !== undefined
  }

  private announce (change: DashboardChange): void {
    try {
      this.events.emit('change', change)
    } catch (err) {
      this.onListenerError(err)
    }
  }

  private async conflicts<T> (fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      // A concurrent save took the uid or the title first.
      if (isUniqueViolation(err, 'dashboard_org_uid')) throw new ERR_DASHBOARD_UID_EXISTS()
      throw new ERR_DASHBOARD_NAME_EXISTS()
    }
  }
}

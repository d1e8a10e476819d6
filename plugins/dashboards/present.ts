// Rows → Grafana's JSON shapes: dashboard with meta, save result, search hit.
import { hasOrgRole, type Identity } from '../auth/identity.js'
import type { DashboardRow } from './tables.js'
import type { DashboardWithUsers, SearchRow } from './store.js'

// Grafana's zero time.Time: stored dashboards never expire.
const NEVER_EXPIRES = '0001-01-01T00:00:00Z'
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

export const dashboardUrl = (appSubUrl: string, uid: string, slug: string) => `${appSubUrl}/d/${uid}/${slug}`

export function saveResult (row: DashboardRow, appSubUrl: string) {
  return {
    id: row.id,
    uid: row.uid,
    url: dashboardUrl(appSubUrl, row.uid, row.slug),
    status: 'success',
    version: row.version,
    slug: row.slug,
    folderUid: row.folder_uid
  }
}

export function dashboardWithMeta (row: DashboardWithUsers, identity: Identity, appSubUrl: string) {
  // The row's columns are the truth for id, uid and version (Grafana syncs the JSON the same way).
  const dashboard = { ...JSON.parse(row.data) as Record<string, unknown>, id: row.id, uid: row.uid, version: row.version }
  const canSave = hasOrgRole(identity, 'Editor')
  return {
    dashboard,
    meta: {
      type: 'db',
      canSave,
      canEdit: canSave,
      canAdmin: hasOrgRole(identity, 'Admin'),
      // Stars are not kept by Gatehouse, so clients are not offered the star button.
      canStar: false,
      canDelete: canSave,
      slug: row.slug,
      url: dashboardUrl(appSubUrl, row.uid, row.slug),
      expires: NEVER_EXPIRES,
      created: rfc3339(row.created),
      updated: rfc3339(row.updated),
      updatedBy: row.updatedByLogin ?? 'Anonymous',
      createdBy: row.createdByLogin ?? 'Anonymous',
      version: row.version,
      hasAcl: false,
      isFolder: false,
      folderId: 0,
      folderUid: row.folder_uid,
      folderTitle: 'General',
      folderUrl: '',
      provisioned: false,
      provisionedExternalId: ''
    }
  }
}

export function searchHit (row: SearchRow, appSubUrl: string) {
  return {
    id: row.id,
    uid: row.uid,
    title: row.title,
    // Grafana's legacy search leaves `slug` empty and puts it in `uri`.
    uri: `db/${row.slug}`,
    url: dashboardUrl(appSubUrl, row.uid, row.slug),
    slug: '',
    type: 'dash-db',
    tags: row.tags,
    isStarred: false,
    ...(row.folder_uid !== '' ? { folderUid: row.folder_uid } : {}),
    sortMeta: 0
  }
}

// Dashboards and search as Grafana's HTTP API shows them (DashboardMeta, DashboardFullWithMeta,
// GetHomeDashboardResponse, SaveDashboardCommand and its result, the delete result, Hit).
import { Type, type Static } from 'typebox'
import { INT4_MAX } from './common.js'

/** The home dashboard's meta (built in, never stored). */
export const DashboardMetaSchema = Type.Object({
  isHome: Type.Optional(Type.Boolean()),
  canSave: Type.Boolean(),
  canEdit: Type.Boolean(),
  canAdmin: Type.Boolean(),
  canStar: Type.Boolean(),
  canDelete: Type.Optional(Type.Boolean()),
  slug: Type.String(),
  url: Type.String(),
  folderTitle: Type.Optional(Type.String()),
  folderUid: Type.Optional(Type.String()),
  provisioned: Type.Optional(Type.Boolean())
})

const DashboardJsonSchema = Type.Record(Type.String(), Type.Unknown())

export const HomeDashboardSchema = Type.Object({
  dashboard: DashboardJsonSchema,
  meta: DashboardMetaSchema
})

/** A stored dashboard's meta, in Grafana's field order. */
export const StoredDashboardMetaSchema = Type.Object({
  type: Type.String(),
  canSave: Type.Boolean(),
  canEdit: Type.Boolean(),
  canAdmin: Type.Boolean(),
  canStar: Type.Boolean(),
  canDelete: Type.Boolean(),
  slug: Type.String(),
  url: Type.String(),
  expires: Type.String(),
  created: Type.String(),
  updated: Type.String(),
  updatedBy: Type.String(),
  createdBy: Type.String(),
  version: Type.Integer(),
  hasAcl: Type.Boolean(),
  isFolder: Type.Boolean(),
  folderId: Type.Integer(),
  folderUid: Type.String(),
  folderTitle: Type.String(),
  folderUrl: Type.String(),
  provisioned: Type.Boolean(),
  provisionedExternalId: Type.String()
})

export const DashboardWithMetaSchema = Type.Object({
  dashboard: DashboardJsonSchema,
  meta: StoredDashboardMetaSchema
})

export const SaveDashboardBodySchema = Type.Object({
  dashboard: DashboardJsonSchema,
  folderUid: Type.Optional(Type.String({ maxLength: 40 })),
  // Legacy numeric folder ids are accepted and ignored (only the General folder exists).
  folderId: Type.Optional(Type.Integer()),
  overwrite: Type.Optional(Type.Boolean()),
  message: Type.Optional(Type.String()),
  isFolder: Type.Optional(Type.Boolean())
})
export type SaveDashboardBody = Static<typeof SaveDashboardBodySchema>

export const SaveDashboardResultSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  url: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  slug: Type.String(),
  folderUid: Type.String()
})

export const DashboardDeletedSchema = Type.Object({
  title: Type.String(),
  message: Type.String(),
  id: Type.Integer()
})

export const DashboardUidParamsSchema = Type.Object({ uid: Type.String() })

export const SearchQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 5000 })),
  tag: Type.Optional(Type.Array(Type.String())),
  type: Type.Optional(Type.String()),
  // Grafana skips ids that are not numbers rather than refusing the search.
  dashboardIds: Type.Optional(Type.Array(Type.String())),
  dashboardUIDs: Type.Optional(Type.Array(Type.String())),
  dashboardUID: Type.Optional(Type.Array(Type.String())),
  folderIds: Type.Optional(Type.Array(Type.String())),
  folderUIDs: Type.Optional(Type.Array(Type.String())),
  starred: Type.Optional(Type.String()),
  permission: Type.Optional(Type.String()),
  sort: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
  page: Type.Optional(Type.Integer({ maximum: INT4_MAX }))
})
export type SearchQuery = Static<typeof SearchQuerySchema>

export const SearchHitSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  title: Type.String(),
  uri: Type.String(),
  url: Type.String(),
  slug: Type.String(),
  type: Type.String(),
  tags: Type.Array(Type.String()),
  isStarred: Type.Boolean(),
  folderUid: Type.Optional(Type.String()),
  sortMeta: Type.Integer()
})

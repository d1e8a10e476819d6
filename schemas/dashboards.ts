// Dashboards as Grafana's HTTP API shows them (DashboardMeta, GetHomeDashboardResponse).
import { Type } from 'typebox'

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

export const HomeDashboardSchema = Type.Object({
  dashboard: Type.Record(Type.String(), Type.Unknown()),
  meta: DashboardMetaSchema
})

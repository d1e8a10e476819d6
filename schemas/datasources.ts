// Data sources as Grafana's HTTP API shows them (DataSource, DataSourceListItemDTO) and takes them
// (AddDataSourceCommand, UpdateDataSourceCommand). Responses list their fields: secureJsonData
// has no way into a response.
import { Type, type Static } from 'typebox'
import { UID_PATTERN } from '../plugins/datasources/validate.js'

const JsonData = Type.Object({}, { additionalProperties: true })

export const DataSourceSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  orgId: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  typeLogoUrl: Type.String(),
  access: Type.String(),
  url: Type.String(),
  user: Type.String(),
  database: Type.String(),
  basicAuth: Type.Boolean(),
  basicAuthUser: Type.String(),
  withCredentials: Type.Boolean(),
  isDefault: Type.Boolean(),
  jsonData: JsonData,
  secureJsonFields: Type.Record(Type.String(), Type.Boolean()),
  version: Type.Integer(),
  readOnly: Type.Boolean()
})
export type DataSourceDto = Static<typeof DataSourceSchema>

export const DataSourceListItemSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  orgId: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  typeName: Type.String(),
  typeLogoUrl: Type.String(),
  access: Type.String(),
  url: Type.String(),
  user: Type.String(),
  database: Type.String(),
  basicAuth: Type.Boolean(),
  isDefault: Type.Boolean(),
  jsonData: JsonData,
  readOnly: Type.Boolean()
})
export type DataSourceListItem = Static<typeof DataSourceListItemSchema>

// Grafana's binding: name, type and access are Required (non-empty). Unknown fields are ignored.
export const AddDataSourceBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 190 }),
  type: Type.String({ minLength: 1, maxLength: 255 }),
  // Grafana's DsAccess: the only two modes; anything else ("weird") is a 400, not a stored value the UI cannot show.
  access: Type.Unsafe<'proxy' | 'direct'>({ type: 'string', enum: ['proxy', 'direct'] }),
  url: Type.Optional(Type.String({ maxLength: 255 })),
  user: Type.Optional(Type.String({ maxLength: 255 })),
  database: Type.Optional(Type.String({ maxLength: 255 })),
  basicAuth: Type.Optional(Type.Boolean()),
  basicAuthUser: Type.Optional(Type.String({ maxLength: 255 })),
  withCredentials: Type.Optional(Type.Boolean()),
  isDefault: Type.Optional(Type.Boolean()),
  jsonData: Type.Optional(Type.Union([JsonData, Type.Null()])),
  // writeOnly: secrets go in and never come out (responses have secureJsonFields instead).
  secureJsonData: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String({ maxLength: 65536 })), Type.Null()], { writeOnly: true })),
  uid: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: UID_PATTERN })]))
})
export type AddDataSourceBody = Static<typeof AddDataSourceBodySchema>

export const UpdateDataSourceBodySchema = Type.Object({
  ...AddDataSourceBodySchema.properties,
  version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483646 }))
})
export type UpdateDataSourceBody = Static<typeof UpdateDataSourceBodySchema>

export const DataSourceSavedSchema = Type.Object({ message: Type.String(), id: Type.Integer(), name: Type.String(), datasource: DataSourceSchema })
export const DataSourceDeletedSchema = Type.Object({ message: Type.String(), id: Type.Optional(Type.Integer()) })
export const DataSourceIdSchema = Type.Object({ id: Type.Integer() })

// Ids arrive as text and are parsed by hand: Grafana answers "id is invalid", not a schema message.
export const IdTextParamsSchema = Type.Object({ id: Type.String({ maxLength: 20 }) })
export const UidParamsSchema = Type.Object({ uid: Type.String({ maxLength: 100 }) })
export const NameParamsSchema = Type.Object({ name: Type.String({ maxLength: 190 }) })

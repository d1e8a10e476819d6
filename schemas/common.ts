// Shapes shared by many routes.
import { Type, type Static } from 'typebox'

export const MessageSchema = Type.Object({ message: Type.String() })
export type Message = Static<typeof MessageSchema>

export const OrgRoleSchema = Type.Union([Type.Literal('Viewer'), Type.Literal('Editor'), Type.Literal('Admin')])

/** PostgreSQL's int4 maximum: a larger id or page cannot name a row, so it is a 400 before any query. */
export const INT4_MAX = 2147483647

/** A row id in a path or body: a positive int4. */
export const IdSchema = Type.Integer({ minimum: 1, maximum: INT4_MAX })

export const IdParamsSchema = Type.Object({ id: IdSchema })
export type IdParams = Static<typeof IdParamsSchema>

export const PagingQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  perpage: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })
})
export type PagingQuery = Static<typeof PagingQuerySchema>

/** Every error answer: 4xx and 5xx alike. */
export const ErrorSchema = Type.Object({
  message: Type.String(),
  messageId: Type.Optional(Type.String()),
  statusCode: Type.Optional(Type.Integer()),
  /** Why a save was refused ("version-mismatch", "name-exists", …), as Grafana says it. */
  status: Type.Optional(Type.String())
})

// Shapes shared by many routes.
import { Type, type Static } from 'typebox'

export const MessageSchema = Type.Object({ message: Type.String() })
export type Message = Static<typeof MessageSchema>

export const OrgRoleSchema = Type.Union([Type.Literal('Viewer'), Type.Literal('Editor'), Type.Literal('Admin')])

export const IdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) })
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

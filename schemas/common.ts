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

// The one paging rule for every paged route: whole numbers in range or a 400 naming the field. The
// bounds keep (page - 1) * perpage an exact integer PostgreSQL takes as an OFFSET: past 1e21
// JavaScript prints "1e+21", which reached the SQL as a 500.
export const MAX_PAGE = 2147483647
export const MAX_PER_PAGE = 5000
/** `page`: 1-based; `null` where Grafana reads a page below 1 as page 1 (/api/search). */
export const PageSchema = (minimum: number | null = 1) => Type.Integer({ ...(minimum !== null ? { minimum, default: 1 } : {}), maximum: MAX_PAGE })
export const PerPageSchema = (fallback = 1000) => Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE, default: fallback })

export const PagingQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200 })),
  page: PageSchema(),
  perpage: PerPageSchema()
})

// The one rule for a duration in seconds that becomes a date (an expiry): past ~3,000 years the
// date is invalid in JavaScript or PostgreSQL (SQLSTATE 22007/22008), so it is a 400 naming the field.
export const MAX_SECONDS = 100_000_000_000
export const SecondsSchema = () => Type.Integer({ maximum: MAX_SECONDS })
export type PagingQuery = Static<typeof PagingQuerySchema>

/** Every error answer: 4xx and 5xx alike. */
export const ErrorSchema = Type.Object({
  message: Type.String(),
  messageId: Type.Optional(Type.String()),
  statusCode: Type.Optional(Type.Integer()),
  /** Why a save was refused ("version-mismatch", "name-exists", …), as Grafana says it. */
  status: Type.Optional(Type.String())
})

/**
 * The error answers of every route, spread into its responses (`{ 200: X, ...ErrorResponses }`):
 * any 4xx has an ErrorSchema body. 401, 403 and 5XX come from the root handlers; the OpenAPI
 * document adds those to each operation itself (plugins/openapi/document.ts).
 */
export const ErrorResponses = { '4xx': ErrorSchema }

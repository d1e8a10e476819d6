// Teams as Grafana's HTTP API shows them (TeamDTO, SearchTeamQueryResult, TeamGroupDTO, team members).
import { Type, type Static } from 'typebox'
import { IdSchema, PageSchema, PerPageSchema } from './common.js'

export const TeamSchema = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  avatarUrl: Type.String(),
  memberCount: Type.Integer(),
  permission: Type.Integer()
})

export const TeamSearchResultSchema = Type.Object({
  totalCount: Type.Integer(),
  teams: Type.Array(TeamSchema),
  page: Type.Integer(),
  perPage: Type.Integer()
})

export const TeamSearchQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200 })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  page: PageSchema(),
  perpage: PerPageSchema()
})

export const TeamBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' }),
  email: Type.Optional(Type.String({ maxLength: 190 }))
})
export type TeamBody = Static<typeof TeamBodySchema>

export const TeamCreatedSchema = Type.Object({ message: Type.String(), teamId: Type.Integer() })

export const TeamMemberSchema = Type.Object({
  orgId: Type.Integer(),
  teamId: Type.Integer(),
  userId: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  login: Type.String(),
  avatarUrl: Type.String(),
  labels: Type.Array(Type.String()),
  permission: Type.Integer()
})

export const AddTeamMemberBodySchema = Type.Object({ userId: IdSchema })

export const TeamGroupSchema = Type.Object({ orgId: Type.Integer(), teamId: Type.Integer(), groupId: Type.String() })
export const TeamGroupBodySchema = Type.Object({ groupId: Type.String({ minLength: 1, maxLength: 1024 }) })

export const TeamParamsSchema = Type.Object({ id: IdSchema })
export const TeamMemberParamsSchema = Type.Object({
  id: IdSchema,
  userId: IdSchema
})

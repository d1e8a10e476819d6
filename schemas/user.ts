// Users as Grafana's HTTP API shows them (UserProfileDTO, UserSearchHitDTO, UserOrgDTO).
import { Type, type Static } from 'typebox'
import { OrgRoleSchema } from './common.js'

export const UserProfileSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  login: Type.String(),
  theme: Type.String(),
  orgId: Type.Integer(),
  isGrafanaAdmin: Type.Boolean(),
  isDisabled: Type.Boolean(),
  isExternal: Type.Boolean(),
  authLabels: Type.Array(Type.String()),
  updatedAt: Type.String(),
  createdAt: Type.String(),
  avatarUrl: Type.String()
})
export type UserProfile = Static<typeof UserProfileSchema>

export const UserSearchHitSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  login: Type.String(),
  email: Type.String(),
  avatarUrl: Type.String(),
  isAdmin: Type.Boolean(),
  isDisabled: Type.Boolean(),
  lastSeenAt: Type.String(),
  lastSeenAtAge: Type.String(),
  authLabels: Type.Array(Type.String())
})

export const UserSearchResultSchema = Type.Object({
  totalCount: Type.Integer(),
  users: Type.Array(UserSearchHitSchema),
  page: Type.Integer(),
  perPage: Type.Integer()
})

export const UserOrgSchema = Type.Object({ orgId: Type.Integer(), name: Type.String(), role: OrgRoleSchema })

export const ChangePasswordBodySchema = Type.Object({
  oldPassword: Type.String({ maxLength: 1024 }),
  newPassword: Type.String({ maxLength: 1024 })
})
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>

export const AdminCreateUserBodySchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255 })),
  email: Type.Optional(Type.String({ maxLength: 190 })),
  login: Type.Optional(Type.String({ maxLength: 190 })),
  password: Type.String({ maxLength: 1024 }),
  orgId: Type.Optional(Type.Integer({ minimum: 1 }))
})
export type AdminCreateUserBody = Static<typeof AdminCreateUserBodySchema>

export const AdminCreateUserResponseSchema = Type.Object({ id: Type.Integer(), message: Type.String() })

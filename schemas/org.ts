// Orgs and org members as Grafana's HTTP API shows them (OrgDTO, OrgDetailsDTO, OrgUserDTO).
import { Type, type Static } from 'typebox'
import { OrgRoleSchema, IdSchema } from './common.js'

export const OrgSchema = Type.Object({ id: Type.Integer(), name: Type.String() })

const AddressSchema = Type.Object({
  address1: Type.String(), address2: Type.String(), city: Type.String(), zipCode: Type.String(), state: Type.String(), country: Type.String()
})
export const OrgDetailsSchema = Type.Object({ id: Type.Integer(), name: Type.String(), address: AddressSchema })

export const OrgNameBodySchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' }) })
export type OrgNameBody = Static<typeof OrgNameBodySchema>

export const CreateOrgResponseSchema = Type.Object({ orgId: Type.Integer(), message: Type.String() })

export const OrgUserSchema = Type.Object({
  orgId: Type.Integer(),
  userId: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  avatarUrl: Type.String(),
  login: Type.String(),
  role: OrgRoleSchema,
  lastSeenAt: Type.String(),
  lastSeenAtAge: Type.String()
})

export const AddOrgUserBodySchema = Type.Object({
  loginOrEmail: Type.String({ minLength: 1, maxLength: 190 }),
  role: OrgRoleSchema
})
export type AddOrgUserBody = Static<typeof AddOrgUserBodySchema>

export const AddOrgUserResponseSchema = Type.Object({ message: Type.String(), userId: Type.Integer() })

export const UpdateOrgUserBodySchema = Type.Object({ role: OrgRoleSchema })
export type UpdateOrgUserBody = Static<typeof UpdateOrgUserBodySchema>

export const OrgUserParamsSchema = Type.Object({
  id: IdSchema,
  userId: IdSchema
})

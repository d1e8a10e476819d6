// API keys and service accounts as Grafana's HTTP API shows them.
import { Type } from 'typebox'
import { ORG_ROLES } from '../config/settings.js'
import { IdSchema, SecondsSchema } from './common.js'

/** An org role, as an enum so a wrong value's error lists the allowed ones. */
export const RoleSchema = Type.Unsafe<typeof ORG_ROLES[number]>({ type: 'string', enum: [...ORG_ROLES] })

const SecondsToLive = Type.Optional(Type.Union([SecondsSchema(), Type.Null()]))

export const CreateApiKeyBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' }),
  role: RoleSchema,
  secondsToLive: SecondsToLive
})

export const NewKeySchema = Type.Object({ name: Type.String(), key: Type.String(), id: Type.Integer() })

export const ApiKeySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.String(),
  expiration: Type.Optional(Type.String())
})

export const ApiKeyListQuerySchema = Type.Object({ includeExpired: Type.Boolean({ default: false }) })

export const ServiceAccountSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  login: Type.String(),
  orgId: Type.Integer(),
  isDisabled: Type.Boolean(),
  role: Type.String(),
  tokens: Type.Integer(),
  avatarUrl: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  teams: Type.Array(Type.String())
})

export const CreateServiceAccountBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' }),
  role: Type.Optional(RoleSchema),
  isDisabled: Type.Optional(Type.Boolean())
})

export const UpdateServiceAccountBodySchema = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' })),
  role: Type.Optional(RoleSchema),
  isDisabled: Type.Optional(Type.Boolean())
})

export const ServiceAccountSearchSchema = Type.Object({
  totalCount: Type.Integer(),
  serviceAccounts: Type.Array(ServiceAccountSchema),
  page: Type.Integer(),
  perPage: Type.Integer()
})

export const CreateTokenBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 190, pattern: '\\S' }),
  secondsToLive: SecondsToLive
})

export const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  created: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiration: Type.Union([Type.String(), Type.Null()]),
  secondsUntilExpiration: Type.Integer(),
  hasExpired: Type.Boolean(),
  isRevoked: Type.Boolean()
})

export const TokenParamsSchema = Type.Object({
  id: IdSchema,
  tokenId: IdSchema
})

// GET /api/gatehouse/origin-check: the origin doctor's answer.
import { Type } from 'typebox'

const VerdictSchema = Type.Object({ allowed: Type.Boolean(), rule: Type.String() }, { additionalProperties: false })

export const OriginCheckQuerySchema = Type.Object({ origin: Type.String({ minLength: 1, maxLength: 2048 }) })

export const OriginCheckSchema = Type.Object({
  origin: Type.String(),
  cors: VerdictSchema,
  csrf: VerdictSchema,
  live: VerdictSchema,
  config: Type.Array(Type.String())
}, { additionalProperties: false })

// POST /login and the health check.
import { Type, type Static } from 'typebox'

export const LoginBodySchema = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 190 }),
  password: Type.String({ minLength: 1, maxLength: 1024 })
})
export type LoginBody = Static<typeof LoginBodySchema>

export const LoginResponseSchema = Type.Object({ message: Type.String(), redirectUrl: Type.String() })

export const HealthSchema = Type.Object({
  commit: Type.String(),
  database: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  version: Type.String()
})

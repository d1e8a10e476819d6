// GET /api/gatehouse/origin-refusals: the last refusals of this instance, and the same grouped
// by origin with the config lines that would allow each.
import { Type } from 'typebox'

const Surface = Type.Union([Type.Literal('cors'), Type.Literal('csrf'), Type.Literal('live')])
const Mode = Type.Union([Type.Literal('enforced'), Type.Literal('reported')])

export const OriginRefusalSchema = Type.Object({
  time: Type.String(),
  surface: Surface,
  origin: Type.String(),
  method: Type.String(),
  path: Type.String(),
  /** A rule code, e.g. cors-not-listed, csrf-origin-mismatch, live-not-listed. */
  rule: Type.String(),
  mode: Mode
}, { additionalProperties: false })

export const OriginRefusalsSchema = Type.Object({
  /** Newest first; at most the last 500 of this instance since it started. */
  refusals: Type.Array(OriginRefusalSchema),
  origins: Type.Array(Type.Object({
    origin: Type.String(),
    count: Type.Integer(),
    last: Type.String(),
    surfaces: Type.Array(Surface),
    /** Every refusal of this origin was let through by a report-only rule. */
    reportedOnly: Type.Boolean(),
    config: Type.Array(Type.String())
  }, { additionalProperties: false }))
}, { additionalProperties: false })

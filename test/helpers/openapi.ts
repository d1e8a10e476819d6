// Validates response bodies against Grafana's API spec excerpt, which lives in the project's
// shared reference folder beside the repository (present in CI, absent in a user's clone).
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Ajv } from 'ajv'

const SPEC = resolve(import.meta.dirname, '../../../shared/reference/grafana-openapi-subset.json')

interface Assert { ok: (v: unknown, msg: string) => void, skip: (msg: string) => void }

let ajv: Ajv | undefined
function compiler (): Ajv | undefined {
  if (!existsSync(SPEC)) return undefined
  if (ajv === undefined) {
    ajv = new Ajv({ strict: false, formats: { int64: true, int32: true, 'date-time': true, double: true } })
    ajv.addSchema({ $id: 'spec', definitions: JSON.parse(readFileSync(SPEC, 'utf8')).definitions })
  }
  return ajv
}

/** Asserts `body` matches `#/definitions/<definition>` of the spec, or skips saying why. */
export function matchesSpec (t: Assert, definition: string, body: unknown): void {
  const a = compiler()
  if (a === undefined) {
    t.skip(`Grafana's API spec excerpt not found at ${SPEC}: ${definition} shape not checked`)
    return
  }
  const validate = a.getSchema(`spec#/definitions/${definition}`) ?? a.compile({ $ref: `spec#/definitions/${definition}` })
  t.ok(validate(body), `matches ${definition} of Grafana's API spec${validate.errors ? ': ' + a.errorsText(validate.errors) : ''}`)
}

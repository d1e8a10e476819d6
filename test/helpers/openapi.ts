// Validates response bodies against an excerpt of Grafana's API spec (Swagger 2.0, from Grafana's
// public/api-merged.json), kept in test/fixtures so the checks run in every clone.
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import type { TestContext } from './build.js'

const SPEC = new URL('../fixtures/grafana-openapi-subset.json', import.meta.url)

let ajv: Ajv | undefined
function compiler (): Ajv {
  if (ajv === undefined) {
    ajv = new Ajv({ strict: false, formats: { int64: true, int32: true, 'date-time': true, double: true } })
    ajv.addSchema({ $id: 'spec', definitions: JSON.parse(readFileSync(SPEC, 'utf8')).definitions })
  }
  return ajv
}

/** Asserts `body` matches `#/definitions/<definition>` of the spec. */
export function matchesSpec (t: TestContext, definition: string, body: unknown): void {
  const a = compiler()
  const validate = a.getSchema(`spec#/definitions/${definition}`) ?? a.compile({ $ref: `spec#/definitions/${definition}` })
  t.ok(validate(body), `matches ${definition} of Grafana's API spec${validate.errors ? ': ' + a.errorsText(validate.errors) : ''}`)
}

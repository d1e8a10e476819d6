// Schema validation: bodies are checked strictly (a number is not a string), while query strings,
// params and headers, which are text on the wire, are coerced to the schema's types.
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: true, strict: false }
const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }))
const lenient = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }))

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : lenient).compile(schema) as ReturnType<FastifySchemaCompiler<object>>

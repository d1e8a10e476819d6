// Schema validation: bodies are checked strictly (a number is not a string), while query strings,
// params and headers, which are text on the wire, are coerced to the schema's types.
//
// Validators and response serializers are compiled on a route's first use, not at start: compiling
// all of them (ajv and fast-json-stringify, one per route part and status code) took ~40% of
// buildApp's CPU and their generated code stayed in memory for routes a deployment may never call.
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaCompiler } from 'fastify'

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: true, strict: false }
const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }))
const lenient = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }))

type Validate = ReturnType<FastifySchemaCompiler<object>>

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined
  const validate = (data: unknown, cxt?: Parameters<ValidateFunction>[1]) => {
    compiled ??= (httpPart === 'body' ? strict : lenient).compile(schema)
    const valid = compiled(data, cxt)
    // Fastify reads `.errors` from the function it was given after a failed check, as ajv sets it.
    validate.errors = compiled.errors
    return valid
  }
  validate.errors = undefined as unknown
  // Fastify passes the parent (request) to a function with `schemaEnv`, so ajv can replace a root
  // value (defaults, coercion), as it does for a function ajv compiled itself.
  validate.schemaEnv = true
  return validate as unknown as Validate
}

/** Fastify's own serializer factory (fast-json-stringify, with the shared schemas), compiling on first use. */
export const buildSerializer: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options)
  return routeDef => {
    let serialize: SerializerSelector.Serializer | undefined
    return (data: unknown) => (serialize ??= compile(routeDef))(data)
  }
}

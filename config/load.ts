// Where configuration comes from: defaults.ini, a custom ini, the environment.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyEnvOverrides, expand, interpolate, merge, readIniFile, type RawConfig, type Sources } from './raw.js'
import { Reader } from './reader.js'
import { readSettings, type Config } from './settings.js'
import { ConfigError } from './errors.js'
import { unknownSettings, unknownVariables } from './unknown.js'
import { securityWarnings } from './warnings.js'

export interface LoadOptions {
  argv?: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Extra ini layers applied after the custom file and before the environment (tests). */
  overrides?: Record<string, Record<string, string | number | boolean>>
}

export interface LoadedConfig extends Config {
  /** The layered raw values, for settings read by later concerns and for diagnostics. */
  raw: RawConfig
  /** Where each raw value came from: "default", "<file>:<line>", "GF_…" or "override". */
  sources: Sources
  /** Files read, in order. */
  files: string[]
  /** Unknown settings and risky values, logged at start. */
  warnings: string[]
}

/** The package root (holds conf/defaults.ini), whether running from source or from dist/. */
export function homePath (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'conf', 'defaults.ini'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('conf/defaults.ini not found above ' + dirname(fileURLToPath(import.meta.url)))
    dir = up
  }
  return dir
}

function configFlag (argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--config' || a === '-config') return argv[i + 1]
    if (a.startsWith('--config=')) return a.slice('--config='.length)
  }
  return undefined
}

export interface InspectedConfig {
  /** Undefined when there are errors. */
  config?: LoadedConfig
  /** Every mistake that stops the start, one line each. */
  errors: string[]
  /** Unknown keys, sections and GF_ variables, and risky settings: logged at start. */
  warnings: string[]
  raw: RawConfig
  sources: Sources
  files: string[]
}

/** Loads everything it can and reports every mistake at once (`gatehouse config check`). */
export function inspectConfig (opts: LoadOptions = {}): InspectedConfig {
  const env = opts.env ?? process.env
  const cwd = opts.cwd ?? process.cwd()
  const home = homePath()
  const defaultsPath = join(home, 'conf', 'defaults.ini')
  const files = [defaultsPath]
  const defaults = readIniFile(defaultsPath, 'defaults file')
  const errors = [...defaults.errors]
  const warnings: string[] = []
  const raw: RawConfig = new Map([...defaults.raw].map(([s, keys]) => [s, new Map(keys)]))
  const sources: Sources = new Map([...defaults.raw].map(([s, keys]) => [s, new Map([...keys.keys()].map(k => [k, 'default']))]))

  const custom = configFlag(opts.argv ?? process.argv.slice(2)) ?? env.GF_PATHS_CONFIG
  const layers: RawConfig[] = []
  let customPath: string | undefined
  if (custom !== undefined && custom !== '') customPath = resolve(cwd, custom)
  else if (existsSync(join(home, 'conf', 'custom.ini'))) customPath = join(home, 'conf', 'custom.ini')
  if (customPath !== undefined) {
    try {
      const file = readIniFile(customPath, 'config file')
      errors.push(...file.errors)
      warnings.push(...unknownSettings(defaults.raw, file.raw, file.sources))
      merge(raw, sources, file.raw, file.sources)
      layers.push(file.raw)
      files.push(customPath)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      errors.push(err.message)
    }
  }
  if (opts.overrides !== undefined) {
    const layer: RawConfig = new Map(Object.entries(opts.overrides).map(([s, kv]) =>
      [s, new Map(Object.entries(kv).map(([k, v]) => [k, String(v)]))]))
    merge(raw, sources, layer, undefined, 'override')
    layers.push(layer)
  }
  warnings.push(...unknownVariables(defaults.raw, env))
  applyEnvOverrides(raw, sources, env)
  expand(raw, env, errors)
  interpolate(raw)

  const databaseTypeExplicit = (env.GF_DATABASE_TYPE ?? '').trim() !== '' || layers.some(l => (l.get('database')?.get('type') ?? '').trim() !== '')
  const reader = new Reader(raw)
  const settings = readSettings(reader, { env, cwd, databaseTypeExplicit })
  errors.push(...reader.errors)
  if (errors.length > 0) return { errors, warnings, raw, sources, files }
  warnings.push(...securityWarnings(settings))
  const config = Object.assign(settings, { raw, sources, files, warnings })
  return { config, errors, warnings, raw, sources, files }
}

/** The server's loader: the configuration, or a ConfigError listing every mistake. */
export function loadConfig (opts: LoadOptions = {}): LoadedConfig {
  const inspected = inspectConfig(opts)
  if (inspected.config === undefined) throw new ConfigError(inspected.errors)
  return inspected.config
}

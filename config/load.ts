// Where configuration comes from: defaults.ini, a custom ini, the environment.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyEnvOverrides, expand, interpolate, merge, readIniFile, type RawConfig } from './raw.js'
import { Reader } from './reader.js'
import { readSettings, type Config } from './settings.js'

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
  /** Files read, in order. */
  files: string[]
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

export function loadConfig (opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env
  const cwd = opts.cwd ?? process.cwd()
  const home = homePath()
  const files = [join(home, 'conf', 'defaults.ini')]
  const raw = readIniFile(files[0]!, 'defaults file')

  const custom = configFlag(opts.argv ?? process.argv.slice(2)) ?? env.GF_PATHS_CONFIG
  const layers: RawConfig[] = []
  if (custom !== undefined && custom !== '') {
    const path = resolve(cwd, custom)
    layers.push(readIniFile(path, 'config file'))
    files.push(path)
  } else if (existsSync(join(home, 'conf', 'custom.ini'))) {
    layers.push(readIniFile(join(home, 'conf', 'custom.ini'), 'config file'))
    files.push(join(home, 'conf', 'custom.ini'))
  }
  if (opts.overrides !== undefined) {
    layers.push(new Map(Object.entries(opts.overrides).map(([s, kv]) =>
      [s, new Map(Object.entries(kv).map(([k, v]) => [k, String(v)]))])))
  }
  for (const layer of layers) merge(raw, layer)
  applyEnvOverrides(raw, env)
  expand(raw, env)
  interpolate(raw)

  const databaseTypeExplicit = env.GF_DATABASE_TYPE !== undefined || layers.some(l => l.get('database')?.has('type'))
  const config = readSettings(new Reader(raw), { env, cwd, databaseTypeExplicit })
  return Object.assign(config, { raw, files })
}

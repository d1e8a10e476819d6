// Grafana-style layered ini: defaults.ini, then a custom ini, then GF_<SECTION>_<KEY>
// environment overrides, then $__env{}/$__file{}/${} expansion and %(key)s interpolation.
import { readFileSync } from 'node:fs'
import { ConfigError } from './errors.js'
import { parseIniText, type ParsedIni } from './ini.js'

/** section name → key → raw string value. The DEFAULT section is "". */
export type RawConfig = Map<string, Map<string, string>>
/** section name → key → where the value came from: "default", "<file>:<line>" or "GF_…". */
export type Sources = Map<string, Map<string, string>>

function sectionOf<V> (map: Map<string, Map<string, V>>, name: string): Map<string, V> {
  let s = map.get(name)
  if (s === undefined) { s = new Map(); map.set(name, s) }
  return s
}

export function readIniFile (path: string, what: string): ParsedIni {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return parseIniText(text, path)
}

/**
 * Later layers win, key by key. An empty value is the same as no value (the layer below stays),
 * so `http_port =` and `GF_SERVER_HTTP_PORT=` both mean the default, never "empty".
 */
export function merge (base: RawConfig, sources: Sources, layer: RawConfig, layerSources?: Sources, label = 'override'): void {
  for (const [section, keys] of layer) {
    for (const [k, v] of keys) {
      if (v.trim() === '') continue
      sectionOf(base, section).set(k, v)
      sectionOf(sources, section).set(k, layerSources?.get(section)?.get(k) ?? label)
    }
  }
}

export function envVarName (section: string, key: string): string {
  const norm = (s: string) => s.toUpperCase().replace(/[.-]/g, '_')
  return section === '' ? `GF_${norm(key)}` : `GF_${norm(section)}_${norm(key)}`
}

/**
 * Like Grafana: every key known from the ini files may be overridden by its GF_ variable, and an
 * empty variable is ignored (Grafana's applyEnvVariableOverrides skips empty values too).
 */
export function applyEnvOverrides (raw: RawConfig, sources: Sources, env: NodeJS.ProcessEnv): void {
  for (const [section, keys] of raw) {
    for (const key of keys.keys()) {
      const name = envVarName(section, key)
      const value = env[name]
      if (value === undefined || value.trim() === '') continue
      keys.set(key, value)
      sectionOf(sources, section).set(key, name)
    }
  }
}

const EXPANSION = /\$__(env|file)\{([^}]*)\}|\$\{([^}]*)\}/g

export function expand (raw: RawConfig, env: NodeJS.ProcessEnv, errors: string[]): void {
  for (const [section, keys] of raw) {
    for (const [key, value] of keys) {
      if (!value.includes('$')) continue
      keys.set(key, value.replace(EXPANSION, (_m, kind: string | undefined, arg: string | undefined, plain: string | undefined) => {
        if (kind === 'file') {
          try {
            return readFileSync(arg!.trim(), 'utf8').trim()
          } catch (err) {
            errors.push(`[${section}] ${key}: cannot read $__file{${arg}}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
            return ''
          }
        }
        return env[(kind === 'env' ? arg! : plain!).trim()] ?? ''
      }))
    }
  }
}

const INTERPOLATION = /%\(([^)]+)\)s/g

/** go-ini style: %(key)s refers to a key of the same section, or of the DEFAULT section. */
export function interpolate (raw: RawConfig): void {
  for (const keys of raw.values()) {
    for (const [key, value] of keys) {
      let out = value
      for (let depth = 0; out.includes('%(') && depth < 10; depth++) {
        out = out.replace(INTERPOLATION, (m, ref: string) => keys.get(ref) ?? raw.get('')?.get(ref) ?? m)
      }
      if (out !== value) keys.set(key, out)
    }
  }
}

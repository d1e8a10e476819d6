// Grafana-style layered ini: defaults.ini, then a custom ini, then GF_<SECTION>_<KEY>
// environment overrides, then $__env{}/$__file{}/${} expansion and %(key)s interpolation.
import { readFileSync } from 'node:fs'
import { parse } from 'ini'
import { ConfigError } from './errors.js'

/** section name → key → raw string value. The DEFAULT section is "". */
export type RawConfig = Map<string, Map<string, string>>

export function parseIni (text: string): RawConfig {
  const out: RawConfig = new Map()
  flatten(parse(text), '', out)
  return out
}

// `ini` nests "[auth.proxy]" under "auth" and turns true/false into booleans;
// Grafana's model is flat sections of strings, so undo both.
function flatten (node: Record<string, unknown>, section: string, out: RawConfig): void {
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Record<string, unknown>, section === '' ? key : `${section}.${key}`, out)
      continue
    }
    let text = Array.isArray(value) ? value.join(',') : value === true && typeof value === 'boolean' ? 'true' : String(value)
    // Grafana's documented quoting for values holding # or ;
    if (text.length >= 6 && text.startsWith('"""') && text.endsWith('"""')) text = text.slice(3, -3)
    sectionOf(out, section).set(key, text)
  }
}

function sectionOf (raw: RawConfig, name: string): Map<string, string> {
  let s = raw.get(name)
  if (s === undefined) { s = new Map(); raw.set(name, s) }
  return s
}

export function readIniFile (path: string, what: string): RawConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return parseIni(text)
}

/** Later layers win, key by key. */
export function merge (base: RawConfig, layer: RawConfig): void {
  for (const [section, keys] of layer) {
    const target = sectionOf(base, section)
    for (const [k, v] of keys) target.set(k, v)
  }
}

export function envVarName (section: string, key: string): string {
  const norm = (s: string) => s.toUpperCase().replace(/[.-]/g, '_')
  return section === '' ? `GF_${norm(key)}` : `GF_${norm(section)}_${norm(key)}`
}

/** Like Grafana: every key known from the ini files may be overridden by its GF_ variable. */
export function applyEnvOverrides (raw: RawConfig, env: NodeJS.ProcessEnv): void {
  for (const [section, keys] of raw) {
    for (const key of keys.keys()) {
      const value = env[envVarName(section, key)]
      if (value !== undefined) keys.set(key, value)
    }
  }
}

const EXPANSION = /\$__(env|file)\{([^}]*)\}|\$\{([^}]*)\}/g

export function expand (raw: RawConfig, env: NodeJS.ProcessEnv): void {
  for (const [section, keys] of raw) {
    for (const [key, value] of keys) {
      if (!value.includes('$')) continue
      keys.set(key, value.replace(EXPANSION, (_m, kind: string | undefined, arg: string | undefined, plain: string | undefined) => {
        if (kind === 'file') {
          try {
            return readFileSync(arg!.trim(), 'utf8').trim()
          } catch (err) {
            throw new ConfigError(`[${section}] ${key}: cannot read $__file{${arg}}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
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

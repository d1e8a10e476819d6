// Misspelled settings: keys, sections and GF_ variables that no setting answers to. They are
// warned about, not refused: Grafana tolerates them, and containers carry other tools' GF_ variables.
import { envVarName, type RawConfig, type Sources } from './raw.js'

/** GF_ variables the loader itself reads, outside the ini keys. */
const LOADER_VARIABLES = new Set(['GF_PATHS_CONFIG'])

export function unknownSettings (known: RawConfig, layer: RawConfig, sources: Sources): string[] {
  const warnings: string[] = []
  for (const [section, keys] of layer) {
    const where = (key: string) => sources.get(section)?.get(key) ?? 'override'
    // Keys above the first [section] (Grafana's app_mode, instance_name) are judged one by one.
    const knownKeys = known.get(section) ?? (section === '' ? new Map<string, string>() : undefined)
    if (knownKeys === undefined) {
      const first = keys.keys().next().value
      const at = first === undefined ? '' : ` (${where(first)})`
      warnings.push(`unknown section [${section}]${at} ignored${suggest(section, [...known.keys()].filter(s => s !== ''), s => `[${s}]`)}`)
      continue
    }
    for (const key of keys.keys()) {
      if (knownKeys.has(key)) continue
      const candidates = [...known].flatMap(([s, ks]) => [...ks.keys()].map(k => ({ s, k })))
      // Prefer a key of the same section: "[server] htp_port" means [server] http_port.
      const same = candidates.filter(c => c.s === section)
      const hint = suggest(key, same.map(c => c.k), k => name(section, k)) ||
        suggest(`${section}.${key}`, candidates.map(c => `${c.s}.${c.k}`), sk => name(...splitName(sk, candidates)))
      warnings.push(`unknown key ${name(section, key)} (${where(key)}) ignored${hint}`)
    }
  }
  return warnings
}

export function unknownVariables (known: RawConfig, env: NodeJS.ProcessEnv): string[] {
  const byVariable = new Map<string, string>()
  for (const [section, keys] of known) for (const key of keys.keys()) byVariable.set(envVarName(section, key), name(section, key))
  const warnings: string[] = []
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith('GF_') || byVariable.has(variable) || LOADER_VARIABLES.has(variable)) continue
    warnings.push(`unknown environment variable ${variable} ignored${suggest(variable, [...byVariable.keys()], v => `${byVariable.get(v)!} (${v})`)}`)
  }
  return warnings
}

function name (section: string, key: string): string {
  return section === '' ? key : `[${section}] ${key}`
}

function splitName (joined: string, candidates: Array<{ s: string, k: string }>): [string, string] {
  const c = candidates.find(c => `${c.s}.${c.k}` === joined)!
  return [c.s, c.k]
}

/** ": did you mean X?" for the closest candidate, when it is close enough to be a typo. */
function suggest (word: string, candidates: string[], show: (c: string) => string): string {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) { best = c; bestDistance = d }
  }
  const tolerance = Math.max(2, Math.floor(word.length / 4))
  return best !== undefined && bestDistance <= tolerance ? `: did you mean ${show(best)}?` : ''
}

// Levenshtein distance, two rows.
function distance (a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]!
}

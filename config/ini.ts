// Grafana's ini dialect (go-ini), read line by line so every value and every mistake has a
// file:line: `config show` prints where a value came from, and a broken line stops the start there.
import type { RawConfig, Sources } from './raw.js'

export interface ParsedIni {
  raw: RawConfig
  /** section → key → "<file>:<line>" */
  sources: Sources
  /** "<file>:<line>: what is wrong", one per broken line. */
  errors: string[]
}

const SECTION = /^\[([^\]]*)\]$/

export function parseIniText (text: string, file: string): ParsedIni {
  const raw: RawConfig = new Map()
  const sources: Sources = new Map()
  const errors: string[] = []
  let section = ''
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    const where = `${file}:${i + 1}`
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    if (line.startsWith('[')) {
      const m = SECTION.exec(line)
      if (m === null || m[1]!.trim() === '') {
        errors.push(`${where}: broken section header ${JSON.stringify(line)} (expected [name])`)
        // The keys below would land in the section above: better to read none of them.
        section = '\0broken'
        continue
      }
      section = m[1]!.trim()
      continue
    }
    // go-ini splits at the first "=" or ":", whichever comes first.
    const at = line.search(/[=:]/)
    if (at <= 0) {
      errors.push(`${where}: ${JSON.stringify(line)} is not "key = value"`)
      continue
    }
    if (section === '\0broken') continue
    const key = line.slice(0, at).trim()
    const value = readValue(line.slice(at + 1).trim())
    sectionOf(raw, section).set(key, value)
    sectionOf(sources, section).set(key, where)
  }
  return { raw, sources, errors }
}

// Grafana's documented quoting: """a#b;c""" or `a#b` keep # and ;, otherwise they start a comment.
function readValue (text: string): string {
  for (const q of ['"""', '`']) {
    if (text.startsWith(q)) {
      const end = text.indexOf(q, q.length)
      if (end > 0) return text.slice(q.length, end)
    }
  }
  const comment = text.search(/[#;]/)
  let value = (comment >= 0 ? text.slice(0, comment) : text).trim()
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    value = value.slice(1, -1)
  }
  return value
}

function sectionOf<V> (map: Map<string, Map<string, V>>, name: string): Map<string, V> {
  let s = map.get(name)
  if (s === undefined) { s = new Map(); map.set(name, s) }
  return s
}

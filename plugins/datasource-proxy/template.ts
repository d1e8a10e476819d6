// The subset of Go text/template that plugin routes use: {{.JsonData.a.b}}, {{.SecureJsonData.k}},
// {{.URL}}, each optionally piped to orEmpty. Compiled once when plugin.json is loaded, so a typo
// is reported at start (with the file) instead of on some later request.

export interface TemplateData {
  JsonData: Record<string, unknown>
  SecureJsonData: Record<string, string>
  URL: string
}

export type Template = (data: TemplateData) => string

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g
const FIELD = /^\.(JsonData|SecureJsonData|URL)((?:\.[A-Za-z0-9_-]+)*)\s*(\|\s*orEmpty)?$/

function lookup (data: TemplateData, root: 'JsonData' | 'SecureJsonData' | 'URL', path: string[]): unknown {
  let v: unknown = data[root]
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

function render (v: unknown, orEmpty: boolean): string {
  // Go prints a missing map key as "<no value>"; orEmpty exists to avoid exactly that.
  if (v === undefined || v === null) return orEmpty ? '' : '<no value>'
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

/** Throws Error('unsupported template action "{{…}}"') for anything outside the subset. */
export function compileTemplate (text: string): Template {
  const parts: Array<string | { root: 'JsonData' | 'SecureJsonData' | 'URL', path: string[], orEmpty: boolean }> = []
  let last = 0
  for (const m of text.matchAll(ACTION)) {
    const f = FIELD.exec(m[1]!)
    if (f === null || (f[1] === 'URL' && f[2] !== '')) throw new Error(`unsupported template action "${m[0]}"`)
    parts.push(text.slice(last, m.index))
    parts.push({ root: f[1] as 'JsonData', path: f[2] === '' ? [] : f[2]!.slice(1).split('.'), orEmpty: f[3] !== undefined })
    last = m.index + m[0].length
  }
  const tail = text.slice(last)
  if (tail.includes('{{')) throw new Error(`unterminated template action in "${text}"`)
  if (parts.length === 0) return () => text
  parts.push(tail)
  return data => {
    let out = ''
    for (const p of parts) out += typeof p === 'string' ? p : render(lookup(data, p.root, p.path), p.orEmpty)
    return out
  }
}

/** A JSON body whose string leaves are templates; rendered values stay inside their JSON strings. */
export function compileJsonTemplate (body: unknown): (data: TemplateData) => string {
  const walk = (v: unknown): (d: TemplateData) => unknown => {
    if (typeof v === 'string') return compileTemplate(v)
    if (Array.isArray(v)) { const items = v.map(walk); return d => items.map(f => f(d)) }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).map(([k, x]) => [k, walk(x)] as const)
      return d => Object.fromEntries(entries.map(([k, f]) => [k, f(d)]))
    }
    return () => v
  }
  const f = walk(body)
  return d => JSON.stringify(f(d))
}

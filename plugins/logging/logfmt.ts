// Grafana's console log format: `t=… level=info logger=context msg="…" key=value`.
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'crit' }
const FIRST = new Set(['time', 'level', 'logger', 'msg'])

function value (v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
  // eslint-disable-next-line no-control-regex -- control characters force a quoted (escaped) value
  return s === '' || /[\s"=\\]/.test(s) || /[\u0000-\u001f]/.test(s) ? JSON.stringify(s) : s
}

/** One pino JSON line → one logfmt line. */
export function toLogfmt (line: string): string {
  let rec: Record<string, unknown>
  try {
    rec = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  const t = typeof rec.time === 'number' ? new Date(rec.time).toISOString() : String(rec.time ?? '')
  const level = typeof rec.level === 'number' ? (LEVELS[rec.level] ?? String(rec.level)) : String(rec.level)
  let out = `t=${t} level=${level}`
  if (rec.logger !== undefined) out += ` logger=${value(rec.logger)}`
  out += ` msg=${value(rec.msg ?? '')}`
  for (const [k, v] of Object.entries(rec)) {
    if (FIRST.has(k) || v === undefined) continue
    if (k === 'err' && v !== null && typeof v === 'object') {
      const e = v as { message?: string, type?: string, stack?: string }
      out += ` error=${value(e.message ?? e.type)}`
      if (level === 'crit' || level === 'error') out += ` stack=${value(e.stack)}`
      continue
    }
    out += ` ${k}=${value(v)}`
  }
  return out + '\n'
}

/** A pino destination that writes logfmt to another stream. */
export function logfmtStream (target: { write: (s: string) => unknown }): { write: (s: string) => void } {
  return { write: (s: string) => { target.write(toLogfmt(s)) } }
}

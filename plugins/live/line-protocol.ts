// InfluxDB line protocol (what Telegraf's influx output sends): `measurement[,tag=v…] field=v[,…] [ns]`.
// Written here because no maintained npm package parses it (the Influx clients only write it).
// Strict on purpose: a bad line names itself, and a batch with one bad line publishes nothing.

export type FieldValue =
  | { type: 'float', value: number }
  | { type: 'int', value: bigint }
  | { type: 'uint', value: bigint }
  | { type: 'string', value: string }
  | { type: 'bool', value: boolean }

export interface Point {
  measurement: string
  /** Tag pairs sorted by key. */
  tags: Array<[string, string]>
  fields: Map<string, FieldValue>
  /** Nanoseconds since the epoch. */
  time: bigint
  /** 1-based line number in the body, and the line itself (for errors found later, e.g. a type change). */
  line: number
  text: string
}

export class LineProtocolError extends Error {
  constructor (readonly lineNumber: number, readonly lineText: string, readonly reason: string) {
    const shown = lineText.length > 200 ? lineText.slice(0, 200) + '…' : lineText
    super(`invalid line protocol at line ${lineNumber}: ${reason}: ${shown}`)
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n
const BOOLEANS: Record<string, boolean> = { t: true, T: true, true: true, True: true, TRUE: true, f: false, F: false, false: false, False: false, FALSE: false }
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/

/** Every point of a body; throws LineProtocolError at the first bad line. `now` stamps points without a timestamp. */
export function parseLineProtocol (body: string, now: bigint = BigInt(Date.now()) * 1_000_000n): Point[] {
  const points: Point[] = []
  const lines = body.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!
    const trimmed = text.trimStart()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    try {
      points.push(parseLine(trimmed, n + 1, text, now))
    } catch (err) {
      if (err instanceof Bad) throw new LineProtocolError(n + 1, text, err.reason)
      throw err
    }
  }
  return points
}

/** A line's fault, before it is given its line number. */
class Bad {
  constructor (readonly reason: string) {}
}

class Cursor {
  i = 0
  constructor (readonly s: string) {}
  get done (): boolean { return this.i >= this.s.length }
  peek (): string { return this.s[this.i]! }

  /** Reads up to an unescaped stop character; `\x` for an escapable x yields x, any other backslash stays. */
  token (stops: string, escapable: string): string {
    let out = ''
    while (this.i < this.s.length) {
      const c = this.s[this.i]!
      if (c === '\\' && this.i + 1 < this.s.length && escapable.includes(this.s[this.i + 1]!)) {
        out += this.s[this.i + 1]
        this.i += 2
        continue
      }
      if (stops.includes(c)) break
      out += c
      this.i++
    }
    return out
  }

  spaces (): number {
    const start = this.i
    while (this.i < this.s.length && this.s[this.i] === ' ') this.i++
    return this.i - start
  }
}

function parseLine (s: string, line: number, text: string, now: bigint): Point {
  const c = new Cursor(s)
  const measurement = c.token(', ', ', ')
  if (measurement === '') throw new Bad('missing measurement')
  const tags = new Map<string, string>()
  while (!c.done && c.peek() === ',') {
    c.i++
    const key = c.token('=, ', ',= ')
    if (key === '') throw new Bad('empty tag key')
    if (c.done || c.peek() !== '=') throw new Bad(`missing tag value for "${key}"`)
    c.i++
    const value = c.token(', ', ',= ')
    if (value === '') throw new Bad(`empty tag value for "${key}"`)
    tags.set(key, value)
  }
  if (c.spaces() === 0 || c.done) throw new Bad('missing fields')
  const fields = new Map<string, FieldValue>()
  for (;;) {
    const key = c.token('=, ', ',= ')
    if (key === '') throw new Bad('empty field key')
    if (c.done || c.peek() !== '=') throw new Bad(`missing value for field "${key}"`)
    c.i++
    fields.set(key, fieldValue(c, key))
    if (c.done || c.peek() !== ',') break
    c.i++
  }
  let time = now
  if (!c.done) {
    if (c.spaces() === 0) throw new Bad('unexpected character after fields')
    const rest = s.slice(c.i).trimEnd()
    if (rest !== '') {
      if (!/^-?\d{1,19}$/.test(rest)) throw new Bad(`invalid timestamp "${rest}"`)
      time = BigInt(rest)
      if (time < INT64_MIN || time > INT64_MAX) throw new Bad(`timestamp out of range "${rest}"`)
    }
  }
  return { measurement, tags: [...tags].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0), fields, time, line, text }
}

function fieldValue (c: Cursor, key: string): FieldValue {
  if (!c.done && c.peek() === '"') {
    c.i++
    let out = ''
    while (!c.done && c.peek() !== '"') {
      if (c.peek() === '\\' && c.i + 1 < c.s.length && (c.s[c.i + 1] === '"' || c.s[c.i + 1] === '\\')) {
        out += c.s[c.i + 1]
        c.i += 2
        continue
      }
      out += c.peek()
      c.i++
    }
    if (c.done) throw new Bad(`unterminated string for field "${key}"`)
    c.i++
    return { type: 'string', value: out }
  }
  const raw = c.token(', ', '')
  if (raw === '') throw new Bad(`missing value for field "${key}"`)
  if (/^[-+]?\d+i$/.test(raw)) {
    const v = BigInt(raw.slice(0, -1))
    if (v < INT64_MIN || v > INT64_MAX) throw new Bad(`integer out of range for field "${key}"`)
    return { type: 'int', value: v }
  }
  if (/^\d+u$/.test(raw)) {
    const v = BigInt(raw.slice(0, -1))
    if (v > UINT64_MAX) throw new Bad(`unsigned integer out of range for field "${key}"`)
    return { type: 'uint', value: v }
  }
  const bool = BOOLEANS[raw]
  if (bool !== undefined) return { type: 'bool', value: bool }
  if (FLOAT.test(raw)) {
    const v = Number(raw)
    if (Number.isFinite(v)) return { type: 'float', value: v }
  }
  throw new Bad(`invalid value ${JSON.stringify(raw)} for field "${key}"`)
}

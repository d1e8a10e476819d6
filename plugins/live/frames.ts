// Line-protocol points → Grafana data frames, serialized as the plugin SDK does (data.FrameToJSON):
// `{"schema":{"name","fields":[…]},"data":{"values":[…]}}`, times in epoch milliseconds with the
// sub-millisecond rest in `data.nanos`. One frame per measurement, in order of first appearance.
import { LineProtocolError, type FieldValue, type Point } from './line-protocol.js'

export type FrameFormat = 'labels_column' | 'wide'
export const FRAME_FORMATS: readonly FrameFormat[] = ['labels_column', 'wide']

type Kind = 'float64' | 'bool' | 'string'

interface Column {
  name: string
  kind: Kind | 'time' | 'labels'
  labels?: Record<string, string>
  values: unknown[]
  nanos?: number[]
}

export interface Frame {
  name: string
  /** `{"name":…,"fields":[…]}`: compared to tell a schema change. */
  schemaJson: string
  /** `{"values":[…]}` (and `nanos` when needed). */
  dataJson: string
}

const kindOf = (v: FieldValue): Kind => v.type === 'bool' ? 'bool' : v.type === 'string' ? 'string' : 'float64'
const valueOf = (v: FieldValue): number | boolean | string => v.type === 'int' || v.type === 'uint' ? Number(v.value) : v.value

export function toFrames (points: Point[], format: FrameFormat): Frame[] {
  const groups = new Map<string, Point[]>()
  for (const p of points) {
    const g = groups.get(p.measurement)
    if (g === undefined) groups.set(p.measurement, [p])
    else g.push(p)
  }
  return [...groups].map(([name, group]) => serialize(name, format === 'wide' ? wide(group) : labelsColumn(group)))
}

/** `labels` ("k=v, k=v"), `time`, then every field key sorted, one row per point. */
function labelsColumn (points: Point[]): Column[] {
  const kinds = new Map<string, Kind>()
  for (const p of points) {
    for (const [key, v] of p.fields) {
      const k = kinds.get(key)
      if (k === undefined) kinds.set(key, kindOf(v))
      else if (k !== kindOf(v)) throw conflict(p, key, k)
    }
  }
  const keys = [...kinds.keys()].sort()
  const labels: Column = { name: 'labels', kind: 'labels', values: [] }
  const time: Column = { name: 'time', kind: 'time', values: [] }
  const cols = keys.map((key): Column => ({ name: key, kind: kinds.get(key)!, values: [] }))
  for (const p of points) {
    labels.values.push(p.tags.map(([k, v]) => `${k}=${v}`).join(', '))
    pushTime(time, p.time)
    keys.forEach((key, i) => { const v = p.fields.get(key); cols[i]!.values.push(v === undefined ? null : valueOf(v)) })
  }
  return [labels, time, ...cols]
}

/** `time`, then one field per key and tag set (labels on the field), one row per distinct time. */
function wide (points: Point[]): Column[] {
  const rows = new Map<bigint, number>()
  const time: Column = { name: 'time', kind: 'time', values: [] }
  for (const p of points) {
    if (!rows.has(p.time)) { rows.set(p.time, rows.size); pushTime(time, p.time) }
  }
  const cols = new Map<string, Column>()
  for (const p of points) {
    const labelKey = JSON.stringify(p.tags)
    for (const [key, v] of [...p.fields].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) {
      const id = `${key}\u0000${labelKey}`
      let col = cols.get(id)
      if (col === undefined) {
        col = { name: key, kind: kindOf(v), labels: Object.fromEntries(p.tags), values: new Array(rows.size).fill(null) }
        cols.set(id, col)
      } else if (col.kind !== kindOf(v)) throw conflict(p, key, col.kind as Kind)
      col.values[rows.get(p.time)!] = valueOf(v)
    }
  }
  return [time, ...cols.values()]
}

function conflict (p: Point, key: string, was: Kind): LineProtocolError {
  return new LineProtocolError(p.line, p.text, `field "${key}" changes type (was ${was === 'float64' ? 'numeric' : was})`)
}

function pushTime (col: Column, ns: bigint): void {
  let ms = ns / 1_000_000n
  let rest = ns % 1_000_000n
  if (rest < 0n) { ms -= 1n; rest += 1_000_000n }
  col.values.push(Number(ms))
  col.nanos ??= []
  col.nanos.push(Number(rest))
}

function fieldSchema (c: Column): Record<string, unknown> {
  switch (c.kind) {
    case 'labels': return { name: c.name, type: 'string', typeInfo: { frame: 'string' } }
    case 'time': return { name: c.name, type: 'time', typeInfo: { frame: 'time.Time' } }
    case 'float64':
      return { name: c.name, type: 'number', typeInfo: { frame: 'float64', nullable: true }, ...(c.labels !== undefined ? { labels: c.labels } : {}) }
    case 'bool': return { name: c.name, type: 'boolean', typeInfo: { frame: 'bool', nullable: true }, ...(c.labels !== undefined ? { labels: c.labels } : {}) }
    case 'string':
      return { name: c.name, type: 'string', typeInfo: { frame: 'string', nullable: true }, ...(c.labels !== undefined ? { labels: c.labels } : {}) }
  }
}

function serialize (name: string, cols: Column[]): Frame {
  const schemaJson = JSON.stringify({ name, fields: cols.map(fieldSchema) })
  const hasNanos = cols.some(c => c.nanos?.some(n => n !== 0) === true)
  const data: Record<string, unknown> = { values: cols.map(c => c.values) }
  if (hasNanos) data.nanos = cols.map(c => c.nanos?.some(n => n !== 0) === true ? c.nanos : null)
  return { name, schemaJson, dataJson: JSON.stringify(data) }
}

export const fullFrameJson = (f: Pick<Frame, 'schemaJson' | 'dataJson'>): string => `{"schema":${f.schemaJson},"data":${f.dataJson}}`
export const dataOnlyJson = (f: Pick<Frame, 'dataJson'>): string => `{"data":${f.dataJson}}`

// Grafana's duration syntax (gtime): Go durations plus d, w, M and y units, e.g. "7d", "1h30m", "500ms".
const UNIT_MS: Record<string, number> = {
  ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000
}
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)/y

/** Milliseconds, or undefined when the text is not a duration. A bare number is taken in `bareUnit`. */
export function parseDuration (text: string, bareUnit: keyof typeof UNIT_MS = 's'): number | undefined {
  const s = text.trim()
  if (s === '') return undefined
  if (/^\d+$/.test(s)) return Number(s) * UNIT_MS[bareUnit]!
  let total = 0
  PART.lastIndex = 0
  while (PART.lastIndex < s.length) {
    const start = PART.lastIndex
    const m = PART.exec(s)
    if (m === null || m.index !== start) return undefined
    total += Number(m[1]) * UNIT_MS[m[2]!]!
  }
  return total
}

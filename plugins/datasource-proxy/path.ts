// Proxy paths, parsed defensively. Matching works on decoded segments (so %61dmin, //api//admin
// and ./api/admin all meet the route's reqRole), and what is forwarded is the raw remainder
// after the route, which can never climb above the route's URL: any dot-dot segment (literal,
// percent-encoded or double-encoded, with or without ";params") and any backslash is refused instead of guessed at.

export class ProxyPathError extends Error {}

export interface ProxyPath {
  /** Decoded segments, split on "/" also inside a segment (an encoded slash still separates). */
  match: string[]
  /** Raw segments as received (percent-encoding kept), "" and "." removed. */
  raw: string[]
  /** match-segment count at the end of each raw segment: route boundaries must fall on one. */
  ends: number[]
  trailingSlash: boolean
}

const DOTS = /^\.{1,2}$/

const withoutParams = (segment: string) => { const i = segment.indexOf(';'); return i < 0 ? segment : segment.slice(0, i) }

function decode (s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw new ProxyPathError('malformed percent-encoding')
  }
}

/** Refuses a segment that is, or decodes (up to three times) to, something holding a dot segment or a backslash. */
function checkSegment (piece: string): string {
  let level = piece
  let first: string | undefined
  for (let depth = 0; depth < 4; depth++) {
    if (level.includes('\\')) throw new ProxyPathError('backslashes are not allowed')
    if (level.includes('\0')) throw new ProxyPathError('NUL bytes are not allowed')
    // Tomcat, Jetty and Spring drop ";params" from a segment before resolving it, so "..;x" climbs like "..".
    if (level.includes('.') && level.split('/').some(p => DOTS.test(withoutParams(p)))) throw new ProxyPathError('dot segments are not allowed')
    if (!level.includes('%')) break
    let next: string
    if (depth === 0) next = decode(level)
    else {
      try { next = decodeURIComponent(level) } catch { break } // a literal "%" after the first decoding is just data
    }
    if (depth === 0) first = next
    if (next === level) break
    level = next
  }
  return first ?? piece
}

/** `tail` is the path after /api/datasources/proxy/<id>, without the query string. */
export function parseProxyPath (tail: string): ProxyPath {
  const pieces = tail.split('/')
  const trailingSlash = tail.length > 1 && tail.endsWith('/')
  const out: ProxyPath = { match: [], raw: [], ends: [], trailingSlash }
  for (const piece of pieces) {
    if (piece === '' || piece === '.') continue
    const decoded = checkSegment(piece)
    out.raw.push(piece)
    if (!decoded.includes('/')) out.match.push(decoded)
    else for (const part of decoded.split('/')) if (part !== '') out.match.push(part)
    out.ends.push(out.match.length)
  }
  if (out.raw.length === 0) out.trailingSlash = false
  return out
}

/** The raw remainder after `consumed` match-segments, or undefined when a raw segment straddles the boundary. */
export function remainderAfter (p: ProxyPath, consumed: number): string | undefined {
  let i = 0
  if (consumed > 0) {
    i = p.ends.indexOf(consumed) + 1
    if (i === 0) return undefined
    // Several raw segments may end at the same count only if some decode to nothing (e.g. "%2F"): skip them.
    while (i < p.raw.length && p.ends[i] === consumed) i++
  }
  const rest = p.raw.slice(i).join('/')
  return rest === '' ? '' : rest + (p.trailingSlash ? '/' : '')
}

/** Grafana's JoinURLFragments: one slash between, none doubled, an empty tail leaves the base as is. */
export function joinPath (base: string, tail: string): string {
  if (tail === '') return base === '' ? '/' : base
  const b = base.endsWith('/') ? base.slice(0, -1) : base
  return `${b}/${tail}`
}

/** Route paths as written in plugin.json → segments; a trailing "*" matches any remainder. */
export function routeSegments (path: string): { segments: string[], wildcard: boolean } {
  const segments = path.split('/').filter(s => s !== '' && s !== '.')
  if (segments.some(s => s === '..' || s.includes('\\'))) throw new Error(`route path "${path}" must not contain ".." or backslashes`)
  const wildcard = segments.at(-1) === '*'
  if (wildcard) segments.pop()
  if (segments.includes('*')) throw new Error(`route path "${path}": "*" is only allowed as the last segment`)
  return { segments, wildcard }
}

/** Segment-wise prefix: route api/v4 matches api/v4 and api/v4/x, never api/v4x. */
export function matchesSegments (route: string[], path: string[]): boolean {
  if (route.length > path.length) return false
  for (let i = 0; i < route.length; i++) if (route[i] !== path[i]) return false
  return true
}

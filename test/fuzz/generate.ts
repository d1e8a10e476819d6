// The fuzz's request generator: seeded, so a failure replays with its seed. Targets come from the
// routes Fastify registered (method, URL pattern, body schema); values lean on edges that have
// reached 500s before (huge numbers, NUL, bad percent-encoding, wrong types, empty bodies).
import type { RouteOptions } from 'fastify'

export interface Target { method: string, url: string, bodySchema?: Schema }
type Schema = Record<string, unknown>

/** mulberry32: small, fast, good enough to spread requests, and the same for a seed everywhere. */
export function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function targetOf (route: RouteOptions): Target[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  const body = (route.schema as { body?: Schema } | undefined)?.body
  return methods.filter(m => m !== 'HEAD').map(m => ({ method: m, url: route.url, ...(body !== undefined ? { bodySchema: body } : {}) }))
}

const NUMBERS = ['0', '-1', '1', '2', '3', '2147483647', '2147483648', '9007199254740993', '9999999999999999999', '1e21', '1.5', 'NaN', '-0', '0x10', '']
const STRINGS = ['', ' ', 'a', 'Main Org.', '%00', '\u0000', '../../etc/passwd', '%2e%2e%2f', 'ü', '😀', '<script>', "'; drop table users; --", 'x'.repeat(300),
  'null', 'true', '{}', '[]', '%', '%zz', 'a/b', 'general']
const SEGMENTS = ['a', '..', '.', '%2e%2e', '%2F', '%00', '%zz', 'api', 'ü', '%F0%9F%98%80', 'x'.repeat(200), '', '*', '?', '#']
const QUERY_KEYS = ['page', 'perpage', 'limit', 'query', 'name', 'targetOrgId', 'includeExpired', 'dashboardIds', 'dashboardUIDs', 'folderIds', 'tag', 'type',
  'loginOrEmail', 'groupId', 'redirect_to', 'x']
const VALUES = [1, 0, -1, 1e16, 9007199254740991, 1e308, -1e308, 1.5, '', 'x', '\u0000', 'x'.repeat(5000), true, false, null, [], {}, [1, 'a'], { a: { b: 1 } }]

export class Generator {
  readonly next: () => number
  constructor (seed: number) { this.next = rng(seed) }
  int (n: number): number { return Math.floor(this.next() * n) }
  pick<T> (list: readonly T[]): T { return list[this.int(list.length)]! }
  chance (p: number): boolean { return this.next() < p }

  path (pattern: string): string {
    return pattern.split('/').map(part => {
      if (part === '*') return Array.from({ length: 1 + this.int(3) }, () => this.pick(SEGMENTS)).join('/')
      if (part.startsWith(':')) return encodeURIComponent(this.chance(0.5) ? this.pick(NUMBERS) : this.pick(STRINGS)).replace(/%25(?=[0-9a-fA-F]{2}|zz)/g, this.chance(0.3) ? '%' : '%25')
      return part
    }).join('/')
  }

  query (): string {
    if (this.chance(0.4)) return ''
    const pairs = Array.from({ length: 1 + this.int(3) }, () => {
      const v = this.chance(0.5) ? this.pick(NUMBERS) : this.pick(STRINGS)
      return `${this.pick(QUERY_KEYS)}=${this.chance(0.2) ? v : encodeURIComponent(v)}`
    })
    return '?' + pairs.join('&')
  }

  /** A value shaped by the schema most of the time, and a wrong one some of the time. */
  value (schema: Schema | undefined, depth = 0): unknown {
    if (schema === undefined || depth > 4 || this.chance(0.15)) return this.pick(VALUES)
    if (Array.isArray(schema.anyOf)) return this.value(this.pick(schema.anyOf as Schema[]), depth + 1)
    if (Array.isArray(schema.enum)) return this.pick(schema.enum as unknown[])
    switch (schema.type) {
      case 'object': {
        const out: Record<string, unknown> = {}
        for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
          if (this.chance(0.85)) out[k] = this.value(s, depth + 1)
        }
        if (this.chance(0.1)) out[this.pick(STRINGS)] = this.pick(VALUES)
        return out
      }
      case 'array': return Array.from({ length: this.int(3) }, () => this.value(schema.items as Schema | undefined, depth + 1))
      case 'integer': case 'number': return this.pick([0, 1, 2, 3, -1, 60, 86400, 1e16, 9007199254740991, 2147483648, 1.5])
      case 'boolean': return this.chance(0.5)
      case 'string': return this.pick(STRINGS)
      default: return this.pick(VALUES)
    }
  }

  body (target: Target): { payload?: string, contentType?: string } {
    const wantsBody = target.method !== 'GET'
    if (!wantsBody && !this.chance(0.05)) return {}
    const kind = this.int(10)
    if (kind === 0) return { payload: '', contentType: 'application/json' }
    if (kind === 1) return { payload: '{"a":', contentType: 'application/json' }
    if (kind === 2) {
      return {
        payload: 'a=1&b=2',
        contentType: this.pick(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream'])
      }
    }
    if (kind === 3) {
      return {
        payload: JSON.stringify(this.pick(VALUES)),
        contentType: this.pick(['application/json', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/json'])
      }
    }
    return { payload: JSON.stringify(this.value(target.bodySchema)), contentType: 'application/json' }
  }
}

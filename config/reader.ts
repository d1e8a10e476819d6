// Typed, validated reads of raw ini values; every failure names the key and the value.
import type { RawConfig } from './raw.js'
import { ConfigError } from './errors.js'
import { parseDuration } from './duration.js'

export class Reader {
  constructor (private readonly raw: RawConfig) {}

  has (section: string, key: string): boolean {
    return this.raw.get(section)?.has(key) ?? false
  }

  str (section: string, key: string, fallback = ''): string {
    return (this.raw.get(section)?.get(key) ?? fallback).trim()
  }

  fail (section: string, key: string, why: string): never {
    const where = section === '' ? key : `[${section}] ${key}`
    throw new ConfigError(`invalid config: ${where} = ${JSON.stringify(this.str(section, key))}: ${why}`)
  }

  int (section: string, key: string, fallback: number, range: { min?: number, max?: number } = {}): number {
    const text = this.str(section, key)
    if (text === '') return fallback
    if (!/^-?\d+$/.test(text)) this.fail(section, key, 'must be an integer')
    const n = Number(text)
    if (range.min !== undefined && n < range.min) this.fail(section, key, `must be at least ${range.min}`)
    if (range.max !== undefined && n > range.max) this.fail(section, key, `must be at most ${range.max}`)
    return n
  }

  bool (section: string, key: string, fallback: boolean): boolean {
    const text = this.str(section, key).toLowerCase()
    if (text === '') return fallback
    if (['true', '1', 'yes', 'on'].includes(text)) return true
    if (['false', '0', 'no', 'off'].includes(text)) return false
    return this.fail(section, key, 'must be true or false')
  }

  /** Milliseconds. */
  duration (section: string, key: string, fallback: string, bareUnit: 'ms' | 's' | 'm' = 's'): number {
    const text = this.str(section, key) || fallback
    const ms = parseDuration(text, bareUnit)
    if (ms === undefined) this.fail(section, key, 'must be a duration such as 30s, 10m, 12h or 7d')
    return ms
  }

  oneOf<T extends string> (section: string, key: string, allowed: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
    const text = this.str(section, key)
    if (text === '') return fallback
    const hit = allowed.find(a => a.toLowerCase() === text.toLowerCase()) ?? aliases[text.toLowerCase()]
    if (hit === undefined) this.fail(section, key, `must be one of ${allowed.join(', ')}`)
    return hit
  }

  /** Grafana's util.SplitString: commas and/or white space. */
  list (section: string, key: string): string[] {
    return this.str(section, key).split(/[\s,]+/).filter(s => s !== '')
  }

  url (section: string, key: string): URL {
    try {
      return new URL(this.str(section, key))
    } catch {
      return this.fail(section, key, 'must be an absolute URL such as http://localhost:3000/')
    }
  }
}

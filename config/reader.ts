// Typed, validated reads of raw ini values; every failure names the key and the value.
// Failures are collected, not thrown one by one, so `config check` can list them all: a typed
// read that fails records the error and returns its fallback; fail() records and throws.
import type { RawConfig } from './raw.js'
import { ConfigError } from './errors.js'
import { parseDuration } from './duration.js'

/** A failure already recorded in Reader.errors (readers above it skip the rest of their part). */
export class ReportedError extends ConfigError {}

export class Reader {
  /** Every failure so far, one line each. */
  readonly errors: string[] = []

  constructor (private readonly raw: RawConfig) {}

  report (section: string, key: string, why: string): void {
    const where = section === '' ? key : `[${section}] ${key}`
    this.errors.push(`invalid config: ${where} = ${JSON.stringify(this.str(section, key))}: ${why}`)
  }

  /** Runs one part of the settings; a failure inside is recorded and the part is skipped. */
  guard<T> (read: () => T): T {
    try {
      return read()
    } catch (err) {
      if (err instanceof ReportedError) return undefined as T
      if (err instanceof ConfigError) { this.errors.push(err.message); return undefined as T }
      throw err
    }
  }

  has (section: string, key: string): boolean {
    return this.raw.get(section)?.has(key) ?? false
  }

  str (section: string, key: string, fallback = ''): string {
    return (this.raw.get(section)?.get(key) ?? fallback).trim()
  }

  /** A value that must be set: empty is recorded and thrown, as fail() does. */
  nonEmpty (section: string, key: string): string {
    const v = this.str(section, key)
    if (v === '') this.fail(section, key, 'must not be empty')
    return v
  }

  fail (section: string, key: string, why: string): never {
    this.report(section, key, why)
    throw new ReportedError(this.errors[this.errors.length - 1]!)
  }

  int (section: string, key: string, fallback: number, range: { min?: number, max?: number } = {}): number {
    const text = this.str(section, key)
    if (text === '') return fallback
    if (!/^-?\d+$/.test(text)) return this.reported(section, key, 'must be an integer', fallback)
    const n = Number(text)
    if (range.min !== undefined && n < range.min) return this.reported(section, key, `must be at least ${range.min}`, fallback)
    if (range.max !== undefined && n > range.max) return this.reported(section, key, `must be at most ${range.max}`, fallback)
    return n
  }

  bool (section: string, key: string, fallback: boolean): boolean {
    const text = this.str(section, key).toLowerCase()
    if (text === '') return fallback
    if (['true', '1', 'yes', 'on'].includes(text)) return true
    if (['false', '0', 'no', 'off'].includes(text)) return false
    return this.reported(section, key, 'must be true or false', fallback)
  }

  /** Milliseconds. */
  duration (section: string, key: string, fallback: string, bareUnit: 'ms' | 's' | 'm' = 's'): number {
    const text = this.str(section, key) || fallback
    const ms = parseDuration(text, bareUnit)
    if (ms === undefined) return this.reported(section, key, 'must be a duration such as 30s, 10m, 12h or 7d', parseDuration(fallback, bareUnit) ?? 0)
    return ms
  }

  oneOf<T extends string> (section: string, key: string, allowed: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
    const text = this.str(section, key)
    if (text === '') return fallback
    const hit = allowed.find(a => a.toLowerCase() === text.toLowerCase()) ?? aliases[text.toLowerCase()]
    if (hit === undefined) return this.reported(section, key, `must be one of ${allowed.join(', ')}`, fallback)
    return hit
  }

  private reported<T> (section: string, key: string, why: string, fallback: T): T {
    this.report(section, key, why)
    return fallback
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

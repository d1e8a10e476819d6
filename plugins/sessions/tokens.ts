// Session tokens: random, shown only to the browser; the database keeps an HMAC under secret_key.
import { createHmac, randomBytes } from 'node:crypto'
import type { UserAuthTokenRow } from '../db/tables.js'

export function newToken (): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken (token: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(token).digest('hex')
}

/** Tokens are base64url of 32 bytes; anything else is rejected before touching the database. */
export function looksLikeToken (value: string): boolean {
  return value.length === 43 && /^[A-Za-z0-9_-]+$/.test(value)
}

export interface Lifetimes { maxInactiveMs: number, maxLifetimeMs: number, rotationMs: number }

export function isExpired (row: UserAuthTokenRow, now: number, l: Lifetimes): boolean {
  return row.created_at.getTime() <= now - l.maxLifetimeMs || row.rotated_at.getTime() <= now - l.maxInactiveMs
}

/** Grafana's rule: rotate soon after first use of a fresh token, then every rotation interval. */
export function needsRotation (row: UserAuthTokenRow, now: number, l: Lifetimes): boolean {
  const age = now - row.rotated_at.getTime()
  return row.auth_token_seen ? age > l.rotationMs : age > 60_000
}

// Login sessions: create, look up (with rotation bookkeeping), rotate and revoke.
import type { Kysely } from 'kysely'
import type { Database, UserAuthTokenRow } from '../db/tables.js'
import { hashToken, isExpired, looksLikeToken, needsRotation, newToken, type Lifetimes } from './tokens.js'

export interface SessionLookup {
  row: UserAuthTokenRow
  /** The presented token is stale or due: the caller should rotate. */
  rotate: boolean
}

export class Sessions {
  constructor (private readonly db: Kysely<Database>, private readonly secretKey: string, readonly lifetimes: Lifetimes) {}

  async create (userId: number, userAgent: string, clientIp: string): Promise<{ token: string, row: UserAuthTokenRow }> {
    const token = newToken()
    const hash = hashToken(token, this.secretKey)
    const now = new Date()
    const row = await this.db.insertInto('user_auth_token').values({
      user_id: userId,
      auth_token: hash,
      prev_auth_token: hash,
      user_agent: userAgent.slice(0, 512),
      client_ip: clientIp,
      auth_token_seen: false,
      rotated_at: now,
      created_at: now,
      updated_at: now
    }).returningAll().executeTakeFirstOrThrow()
    return { token, row }
  }

  /** The live session for a cookie value, or undefined (unknown, revoked, expired, malformed). */
  async lookup (token: string, now = Date.now()): Promise<SessionLookup | undefined> {
    if (!looksLikeToken(token)) return undefined
    const hash = hashToken(token, this.secretKey)
    const row = await this.db.selectFrom('user_auth_token').selectAll()
      .where(eb => eb.or([eb('auth_token', '=', hash), eb('prev_auth_token', '=', hash)]))
      .executeTakeFirst()
    if (row === undefined || row.revoked_at !== null || isExpired(row, now, this.lifetimes)) return undefined

    if (row.auth_token === hash) {
      if (!row.auth_token_seen) {
        await this.db.updateTable('user_auth_token').set({ auth_token_seen: true, seen_at: new Date(now) })
          .where('id', '=', row.id).where('auth_token', '=', hash).execute()
        row.auth_token_seen = true
        row.seen_at = new Date(now)
      }
      return { row, rotate: needsRotation(row, now, this.lifetimes) }
    }
    // The previous token: fine for requests that raced a rotation, but if the new token was
    // already used, the old one may be stolen: force a prompt rotation (Grafana's rule).
    if (row.auth_token_seen) {
      await this.db.updateTable('user_auth_token').set({ auth_token_seen: false, rotated_at: new Date(now - 60_000) })
        .where('id', '=', row.id).execute()
    }
    return { row, rotate: false }
  }

  /** A new token for the session, or undefined if another request rotated it first. */
  async rotate (row: UserAuthTokenRow, now = Date.now()): Promise<string | undefined> {
    const token = newToken()
    const res = await this.db.updateTable('user_auth_token').set({
      prev_auth_token: row.auth_token,
      auth_token: hashToken(token, this.secretKey),
      auth_token_seen: false,
      seen_at: null,
      rotated_at: new Date(now),
      updated_at: new Date(now)
    }).where('id', '=', row.id).where('auth_token', '=', row.auth_token).executeTakeFirst()
    return res.numUpdatedRows > 0n ? token : undefined
  }

  async revoke (id: number): Promise<void> {
    await this.db.deleteFrom('user_auth_token').where('id', '=', id).execute()
  }

  async revokeAllForUser (userId: number, exceptId?: number): Promise<void> {
    let q = this.db.deleteFrom('user_auth_token').where('user_id', '=', userId)
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId)
    await q.execute()
  }
}

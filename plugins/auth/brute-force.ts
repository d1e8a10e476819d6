// Brute-force login protection: too many failures for a username within 5 minutes blocks it.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/tables.js'

export const WINDOW_MS = 5 * 60_000

export class LoginAttempts {
  constructor (
    private readonly db: Kysely<Database>,
    private readonly maxAttempts: number,
    private readonly disabled: boolean
  ) {}

  async isBlocked (username: string, now = Date.now()): Promise<boolean> {
    if (this.disabled) return false
    const r = await this.db.selectFrom('login_attempt').select(eb => eb.fn.countAll<number>().as('n'))
      .where('username', '=', username.toLowerCase())
      .where('created', '>', new Date(now - WINDOW_MS))
      .executeTakeFirstOrThrow()
    return Number(r.n) >= this.maxAttempts
  }

  async recordFailure (username: string, ip: string): Promise<void> {
    if (this.disabled) return
    await this.db.insertInto('login_attempt').values({ username: username.toLowerCase().slice(0, 190), ip_address: ip.slice(0, 64) }).execute()
  }

  /** A successful login clears the count, so past typos don't shorten the next user's allowance. */
  async reset (username: string): Promise<void> {
    if (this.disabled) return
    await this.db.deleteFrom('login_attempt').where('username', '=', username.toLowerCase()).execute()
  }

  async cleanup (now = Date.now()): Promise<void> {
    await this.db.deleteFrom('login_attempt').where('created', '<', sql<Date>`${new Date(now - 2 * WINDOW_MS)}`).execute()
  }
}

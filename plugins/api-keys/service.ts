// API keys and service-account tokens: creation (secret shown once), listing, deletion, and the
// fast path that resolves a presented key — a short-lived cache in front of one indexed lookup.
import { SingleFlightCache } from '../cache/single-flight.js'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { OrgRole } from '../../config/settings.js'
import type { ApiKeyRow } from './tables.js'
import { encodeLegacyKey, encodeServiceAccountToken, hashSecret, randomSecret } from './format.js'
import { ERR_API_KEY_EXISTS, ERR_API_KEY_NOT_FOUND, ERR_SA_TOKEN_EXISTS, ERR_TTL_NEGATIVE, ERR_TTL_OVER_LIMIT, ERR_TTL_REQUIRED } from '../errors/codes.js'
import { isUniqueViolation } from '../db/sql.js'

/** What authentication needs to know about a key, cached for CACHE_TTL_MS. */
export interface ResolvedKey {
  id: number
  orgId: number
  orgName: string
  name: string
  role: OrgRole
  expires: number | null
  revoked: boolean
  serviceAccount: { id: number, login: string, name: string, disabled: boolean } | null
}

// Revocation elsewhere (another instance) is seen within this time; here it is immediate.
export const CACHE_TTL_MS = 5_000
const LAST_USED_FLUSH_MS = 10_000

/** What changed: one stored key (by its hash) or every token of a service account. */
export type KeyChange = { hash: string } | { serviceAccountId: number }

export interface NewKey { orgId: number, name: string, role: OrgRole, secondsToLive: number | null | undefined, serviceAccountId?: number }

export class ApiKeys {
  // Unknown keys are cached too (false), so a flood of bad keys costs one query each per TTL.
  private readonly cache = new SingleFlightCache<ResolvedKey | false>({ max: 50_000, ttl: CACHE_TTL_MS })
  private readonly used = new Set<number>()
  private readonly flusher: NodeJS.Timeout

  constructor (
    private readonly db: Kysely<Database>,
    private readonly maxSecondsToLive: number,
    private readonly onError: (err: unknown) => void,
    /** Told after a deletion or account change; resolves once every worker's cache dropped it (see forget). */
    private readonly changed: (change: KeyChange) => Promise<void> = async change => { this.forget(change) }
  ) {
    this.flusher = setInterval(() => { this.flush().catch(onError) }, LAST_USED_FLUSH_MS)
    this.flusher.unref()
  }

  /** Grafana's rules for secondsToLive against [auth] api_key_max_seconds_to_live. */
  expiry (secondsToLive: number | null | undefined, now = Date.now()): Date | null {
    const s = secondsToLive ?? 0
    if (s < 0) throw new ERR_TTL_NEGATIVE()
    if (this.maxSecondsToLive >= 0) {
      if (s === 0) throw new ERR_TTL_REQUIRED()
      if (s > this.maxSecondsToLive) throw new ERR_TTL_OVER_LIMIT()
    }
    return s === 0 ? null : new Date(now + s * 1000)
  }

  async create (k: NewKey): Promise<{ id: number, name: string, key: string }> {
    const expires = this.expiry(k.secondsToLive)
    const secret = randomSecret()
    const key = k.serviceAccountId === undefined ? encodeLegacyKey({ secret, name: k.name, orgId: k.orgId }) : encodeServiceAccountToken(secret)
    try {
      const row = await this.db.insertInto('api_key').values({
        org_id: k.orgId, name: k.name, key: hashSecret(secret), role: k.role, expires, service_account_id: k.serviceAccountId ?? null
      }).returning(['id', 'name']).executeTakeFirstOrThrow()
      return { id: row.id, name: row.name, key }
    } catch (err) {
      if (isUniqueViolation(err)) throw k.serviceAccountId === undefined ? new ERR_API_KEY_EXISTS() : new ERR_SA_TOKEN_EXISTS()
      throw err
    }
  }

  /** Legacy keys of an org (service-account tokens are listed per account). */
  async list (orgId: number, includeExpired: boolean): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_key').selectAll().where('org_id', '=', orgId).where('service_account_id', 'is', null)
    if (!includeExpired) q = q.where(eb => eb.or([eb('expires', 'is', null), eb('expires', '>', new Date())]))
    return q.orderBy('name').limit(1000).execute()
  }

  tokensOf (serviceAccountId: number): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_key').selectAll().where('service_account_id', '=', serviceAccountId).orderBy('name').execute()
  }

  /** Deletes a legacy key (serviceAccountId undefined) or a token of that service account. */
  async delete (orgId: number, id: number, serviceAccountId?: number): Promise<boolean> {
    let q = this.db.deleteFrom('api_key').where('org_id', '=', orgId).where('id', '=', id)
    q = serviceAccountId === undefined ? q.where('service_account_id', 'is', null) : q.where('service_account_id', '=', serviceAccountId)
    const row = await q.returning('key').executeTakeFirst()
    if (row === undefined) {
      if (serviceAccountId === undefined) throw new ERR_API_KEY_NOT_FOUND()
      return false
    }
    await this.changed({ hash: row.key })
    return true
  }

  /** A service account was disabled, changed role or deleted: its tokens resolve afresh everywhere. */
  async forgetServiceAccount (serviceAccountId: number): Promise<void> {
    await this.changed({ serviceAccountId })
  }

  /** Drops this cache's resolutions a change touched (this worker's part of `changed`). */
  forget (change: KeyChange): void {
    if ('hash' in change) this.cache.invalidate(change.hash)
    else this.cache.invalidateWhere(v => v !== false && v.serviceAccount?.id === change.serviceAccountId)
  }

  async resolve (hash: string): Promise<ResolvedKey | undefined> {
    const resolved = await this.cache.get(hash, () => this.lookup(hash))
    return resolved === false || resolved === undefined ? undefined : resolved
  }

  private async lookup (hash: string): Promise<ResolvedKey | false> {
    const row = await this.db.selectFrom('api_key as k')
      .innerJoin('org as o', 'o.id', 'k.org_id')
      .leftJoin('users as u', 'u.id', 'k.service_account_id')
      .leftJoin('org_user as ou', join => join.onRef('ou.user_id', '=', 'k.service_account_id').onRef('ou.org_id', '=', 'k.org_id'))
      .select(['k.id', 'k.org_id', 'k.name', 'k.role', 'k.expires', 'k.is_revoked', 'k.service_account_id',
        'o.name as org_name', 'u.login as sa_login', 'u.name as sa_name', 'u.is_disabled as sa_disabled', 'ou.role as sa_role'])
      .where('k.key', '=', hash)
      .executeTakeFirst()
    const resolved: ResolvedKey | false = row === undefined
      ? false
      : {
          id: row.id,
          orgId: row.org_id,
          orgName: row.org_name,
          name: row.name,
          role: row.service_account_id !== null ? row.sa_role ?? 'Viewer' : row.role,
          expires: row.expires?.getTime() ?? null,
          revoked: row.is_revoked,
          serviceAccount: row.service_account_id === null
            ? null
            : { id: row.service_account_id, login: row.sa_login ?? '', name: row.sa_name ?? '', disabled: row.sa_disabled ?? true }
        }
    return resolved
  }

  /** lastUsedAt is written in batches, not once per request. */
  noteUsed (id: number): void {
    this.used.add(id)
  }

  async flush (): Promise<void> {
    if (this.used.size === 0) return
    const ids = [...this.used]
    this.used.clear()
    await this.db.updateTable('api_key').set({ last_used_at: new Date() }).where('id', 'in', ids).execute()
  }

  async close (): Promise<void> {
    clearInterval(this.flusher)
    await this.flush()
  }
}

// Per-org data keys (envelope encryption): random 256-bit keys, stored encrypted under the
// key-encryption key of [security] secret_key (or, until rotation, one of previous_secret_keys).
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { SecretKeysConfig } from '../../config/secret-keys.js'
import { deriveKek, openWithAny, prederiveKek, seal } from './cipher.js'
import { isUniqueViolation } from '../db/sql.js'

export interface DataKey { id: string, key: Buffer }

const dataKeyAad = (id: string, orgId: number) => `gatehouse data key ${id} org ${orgId}`
export const newKeyId = () => randomBytes(9).toString('base64url')

export class SecretKeyMismatch extends Error {
  constructor (readonly ids: string[]) {
    super(`[security] secret_key: ${ids.length} stored data key(s) (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}) ` +
      'cannot be decrypted with secret_key or any of previous_secret_keys; set secret_key to the key they were encrypted with ' +
      '(or list it in previous_secret_keys)')
    this.name = 'SecretKeyMismatch'
  }
}

const secretsOf = (secrets: SecretKeysConfig): string[] => [secrets.current, ...secrets.previous]

/** The key-encryption keys, current first. */
export function keks (secrets: SecretKeysConfig): Buffer[] {
  return secretsOf(secrets).map(deriveKek)
}

/** Starts deriving every key-encryption key `keks` will ask for, on the scrypt thread. */
export function prederiveKeks (secrets: SecretKeysConfig): void {
  for (const secret of secretsOf(secrets)) prederiveKek(secret)
}

export function sealDataKey (kek: Buffer, id: string, orgId: number, key: Buffer): string {
  return seal(kek, key, dataKeyAad(id, orgId))
}

export function openDataKey (all: Buffer[], row: { id: string, org_id: number, encrypted_data: string }): { key: Buffer, index: number } | undefined {
  const opened = openWithAny(all, row.encrypted_data, dataKeyAad(row.id, row.org_id))
  return opened === undefined ? undefined : { key: opened.plaintext, index: opened.index }
}

export class DataKeys {
  private readonly keks: Buffer[]
  private readonly byId = new Map<string, Buffer>()
  private readonly activeByOrg = new Map<number, DataKey>()

  constructor (private readonly db: Kysely<Database>, secrets: SecretKeysConfig) {
    this.keks = keks(secrets)
  }

  /** Decrypts every stored data key once; a key that opens with no configured secret stops the start. */
  async loadAll (): Promise<void> {
    const rows = await this.db.selectFrom('data_keys').selectAll().execute()
    const failed: string[] = []
    for (const row of rows) {
      const opened = openDataKey(this.keks, row)
      if (opened === undefined) failed.push(row.id)
      else this.remember(row, opened.key)
    }
    if (failed.length > 0) throw new SecretKeyMismatch(failed)
  }

  /** The org's key for new ciphertexts, created on first use. */
  async active (orgId: number): Promise<DataKey> {
    const known = this.activeByOrg.get(orgId)
    if (known !== undefined) return known
    const row = await this.db.selectFrom('data_keys').selectAll().where('org_id', '=', orgId).where('active', '=', true).executeTakeFirst()
    if (row !== undefined) return { id: row.id, key: await this.get(row.id) }
    const id = newKeyId()
    const key = randomBytes(32)
    try {
      await this.db.insertInto('data_keys').values({ id, org_id: orgId, encrypted_data: sealDataKey(this.keks[0]!, id, orgId, key) }).execute()
    } catch (err) {
      // Another request or instance created the org's key first: use theirs.
      if (isUniqueViolation(err)) return this.active(orgId)
      throw err
    }
    this.remember({ id, org_id: orgId, active: true }, key)
    return { id, key }
  }

  async get (id: string): Promise<Buffer> {
    const known = this.byId.get(id)
    if (known !== undefined) return known
    const row = await this.db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw new Error(`data key ${id} not found`)
    const opened = openDataKey(this.keks, row)
    if (opened === undefined) throw new SecretKeyMismatch([id])
    this.remember(row, opened.key)
    return opened.key
  }

  private remember (row: { id: string, org_id: number, active: boolean }, key: Buffer): void {
    this.byId.set(row.id, key)
    if (row.active) this.activeByOrg.set(row.org_id, { id: row.id, key })
  }
}

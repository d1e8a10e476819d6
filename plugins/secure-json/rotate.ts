// `secrets rotate`: re-encrypts every data key under [security] secret_key. Data keys under one of
// previous_secret_keys are rewritten; the secrets they protect are untouched (that is the point of
// envelope encryption). Safe while servers run: they already hold the data keys decrypted, and
// still open a key under any configured secret.
import type { Kysely } from 'kysely'
import type { Database } from '../db/tables.js'
import type { SecretKeysConfig } from '../../config/secret-keys.js'
import { keks, openDataKey, sealDataKey, SecretKeyMismatch } from './data-keys.js'

export interface RotationResult { total: number, rotated: number }

export async function rotateDataKeys (db: Kysely<Database>, secrets: SecretKeysConfig): Promise<RotationResult> {
  const all = keks(secrets)
  return db.transaction().execute(async trx => {
    const rows = await trx.selectFrom('data_keys').selectAll().orderBy('id').forUpdate().execute()
    const failed: string[] = []
    let rotated = 0
    for (const row of rows) {
      const opened = openDataKey(all, row)
      if (opened === undefined) { failed.push(row.id); continue }
      if (opened.index === 0) continue
      await trx.updateTable('data_keys')
        .set({ encrypted_data: sealDataKey(all[0]!, row.id, row.org_id, opened.key), updated: new Date() })
        .where('id', '=', row.id).execute()
      rotated++
    }
    // All or nothing: a key nobody can open means the configuration is wrong, not half-rotated.
    if (failed.length > 0) throw new SecretKeyMismatch(failed)
    return { total: rows.length, rotated }
  })
}

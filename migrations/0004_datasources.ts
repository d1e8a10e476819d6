// Data sources and the per-org data keys that encrypt their secrets (envelope encryption). Frozen.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // One data key per org, itself encrypted (AES-256-GCM) under a key derived from [security] secret_key.
  await db.schema.createTable('data_keys')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('active', 'boolean', c => c.notNull().defaultTo(true))
    // base64(salt | iv | tag | ciphertext); the secret key that made it is found by trying each configured one.
    .addColumn('encrypted_data', 'text', c => c.notNull())
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  // At most one active key per org, so concurrent first writes agree on the key.
  await sql`create unique index data_keys_org_active on data_keys (org_id) where active`.execute(db)

  await db.schema.createTable('data_source')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('uid', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('access', 'text', c => c.notNull())
    .addColumn('url', 'text', c => c.notNull().defaultTo(''))
    .addColumn('user', 'text', c => c.notNull().defaultTo(''))
    .addColumn('database', 'text', c => c.notNull().defaultTo(''))
    .addColumn('basic_auth', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('basic_auth_user', 'text', c => c.notNull().defaultTo(''))
    .addColumn('with_credentials', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('is_default', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('json_data', 'jsonb', c => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // key → '#<data key id>#<base64(iv | tag | ciphertext)>'; only non-empty values are kept.
    .addColumn('secure_json_data', 'jsonb', c => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('read_only', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('data_source_org_uid', ['org_id', 'uid'])
    .addUniqueConstraint('data_source_org_name', ['org_id', 'name'])
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_source').ifExists().execute()
  await db.schema.dropTable('data_keys').ifExists().execute()
}

// API keys and service-account tokens (one table, as Grafana's). Only hashes of the secrets. Frozen.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('api_key')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('name', 'text', c => c.notNull())
    // hex SHA-256 of the key's secret part: keys are 190+ bits of entropy, a slow hash adds nothing.
    .addColumn('key', 'text', c => c.notNull().unique())
    .addColumn('role', 'text', c => c.notNull().check(sql`role in ('Viewer', 'Editor', 'Admin')`))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('expires', 'timestamptz')
    .addColumn('service_account_id', 'integer', c => c.references('users.id').onDelete('cascade'))
    .addColumn('is_revoked', 'boolean', c => c.notNull().defaultTo(false))
    .addUniqueConstraint('api_key_org_name', ['org_id', 'name'])
    .execute()
  await db.schema.createIndex('api_key_service_account').on('api_key').column('service_account_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_key').ifExists().execute()
}

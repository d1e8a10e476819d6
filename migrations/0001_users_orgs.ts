// Orgs, users, memberships, login sessions and login attempts. Frozen: change the schema in a new migration.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('org')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index org_name_lower on org (lower(name))`.execute(db)

  await db.schema.createTable('users')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('login', 'text', c => c.notNull())
    .addColumn('email', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull().defaultTo(''))
    .addColumn('password', 'text')
    .addColumn('theme', 'text', c => c.notNull().defaultTo(''))
    .addColumn('is_admin', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('is_disabled', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('is_service_account', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('org_id', 'integer', c => c.notNull())
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz')
    .execute()
  // Logins and emails are matched case-insensitively, as in current Grafana.
  await sql`create unique index users_login_lower on users (lower(login))`.execute(db)
  await sql`create unique index users_email_lower on users (lower(email))`.execute(db)

  await db.schema.createTable('org_user')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', c => c.notNull().check(sql`role in ('Viewer', 'Editor', 'Admin')`))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('org_user_org_user', ['org_id', 'user_id'])
    .execute()
  await db.schema.createIndex('org_user_user').on('org_user').column('user_id').execute()

  await db.schema.createTable('user_auth_token')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('user_id', 'integer', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('auth_token', 'text', c => c.notNull().unique())
    .addColumn('prev_auth_token', 'text', c => c.notNull())
    .addColumn('user_agent', 'text', c => c.notNull().defaultTo(''))
    .addColumn('client_ip', 'text', c => c.notNull().defaultTo(''))
    .addColumn('auth_token_seen', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('seen_at', 'timestamptz')
    .addColumn('rotated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('user_auth_token_prev').on('user_auth_token').column('prev_auth_token').execute()
  await db.schema.createIndex('user_auth_token_user').on('user_auth_token').column('user_id').execute()

  await db.schema.createTable('login_attempt')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('username', 'text', c => c.notNull())
    .addColumn('ip_address', 'text', c => c.notNull())
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('login_attempt_username_created').on('login_attempt').columns(['username', 'created']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const t of ['login_attempt', 'user_auth_token', 'org_user', 'users', 'org']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

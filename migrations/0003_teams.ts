// Teams, their members, and the external groups mapped to them (team sync). Frozen.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('team')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('email', 'text', c => c.notNull().defaultTo(''))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index team_org_name_lower on team (org_id, lower(name))`.execute(db)

  await db.schema.createTable('team_member')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull())
    .addColumn('team_id', 'integer', c => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', c => c.notNull().references('users.id').onDelete('cascade'))
    // true when added by team sync: only those are removed when the groups stop naming the team.
    .addColumn('external', 'boolean', c => c.notNull().defaultTo(false))
    .addColumn('permission', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('team_member_team_user', ['team_id', 'user_id'])
    .execute()
  await db.schema.createIndex('team_member_user').on('team_member').column('user_id').execute()

  await db.schema.createTable('team_group')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull())
    .addColumn('team_id', 'integer', c => c.notNull().references('team.id').onDelete('cascade'))
    .addColumn('group_id', 'text', c => c.notNull())
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('team_group_team_group', ['team_id', 'group_id'])
    .execute()
  await db.schema.createIndex('team_group_group').on('team_group').column('group_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const t of ['team_group', 'team_member', 'team']) await db.schema.dropTable(t).ifExists().execute()
}

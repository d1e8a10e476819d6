// Dashboards (the JSON model as saved, with Grafana's optimistic version) and their tags. Frozen.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('dashboard')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('org_id', 'integer', c => c.notNull().references('org.id').onDelete('cascade'))
    .addColumn('uid', 'text', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('slug', 'text', c => c.notNull())
    // The JSON text as saved: key order and number spelling survive, which jsonb would not keep.
    .addColumn('data', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    // '' is the General folder (Grafana stores NULL; '' keeps the title index below unique).
    .addColumn('folder_uid', 'text', c => c.notNull().defaultTo(''))
    .addColumn('created', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    // A user id, or -1 when no user saved it (a legacy API key), as Grafana does.
    .addColumn('created_by', 'integer', c => c.notNull().defaultTo(-1))
    .addColumn('updated_by', 'integer', c => c.notNull().defaultTo(-1))
    .addUniqueConstraint('dashboard_org_uid', ['org_id', 'uid'])
    .execute()
  // One title per folder; hashed because a title may be longer than a btree entry allows.
  await sql`create unique index dashboard_org_folder_title on dashboard (org_id, folder_uid, md5(title))`.execute(db)

  await db.schema.createTable('dashboard_tag')
    .addColumn('id', 'integer', c => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('dashboard_id', 'integer', c => c.notNull().references('dashboard.id').onDelete('cascade'))
    .addColumn('term', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('dashboard_tag_dashboard').on('dashboard_tag').column('dashboard_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_tag').ifExists().execute()
  await db.schema.dropTable('dashboard').ifExists().execute()
}

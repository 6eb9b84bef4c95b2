import { sql, type Kysely, type Migration } from 'kysely';

type CreateTable = ReturnType<Kysely<unknown>['schema']['createTable']>;

/**
 * The package lifecycle: yanked and deprecated versions, deprecated and locked packages, dist-tags,
 * owner invitations, admins, reserved names, the append-only audit log and per-action rate-limit
 * buckets. Who yanked or deprecated is kept by username (usernames never change); the audit log
 * keeps the ids.
 */
export function lifecycleSchema(dialect: 'sqlite' | 'postgres'): Migration {
  const autoId = (t: CreateTable) =>
    t.addColumn('id', sql.raw(dialect === 'postgres' ? 'bigserial' : 'integer'), (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    );
  return {
    async up(db: Kysely<unknown>) {
      await addColumns(db, 'versions', ['yanked_at', 'yank_reason', 'yanked_by', ...DEPRECATION]);
      await addColumns(db, 'packages', [...DEPRECATION, 'locked_at', 'locked_reason', 'locked_by']);
      await db.schema
        .alterTable('users')
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('dist_tags')
        .addColumn('package_id', 'bigint', (c) => c.notNull().references('packages.id').onDelete('cascade'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dist_tags_pk', ['package_id', 'tag'])
        .execute();

      await autoId(db.schema.createTable('owner_invitations'))
        .addColumn('package_id', 'bigint', (c) => c.notNull().references('packages.id').onDelete('cascade'))
        .addColumn('invitee_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('inviter_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('owner_invitations_package_invitee', ['package_id', 'invitee_id'])
        .execute();
      await db.schema.createIndex('owner_invitations_invitee').on('owner_invitations').column('invitee_id').execute();

      await db.schema
        .createTable('reserved_names')
        .addColumn('canonical_name', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('reserved_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await autoId(db.schema.createTable('audit_log'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'bigint')
        .addColumn('actor_username', 'text')
        .addColumn('token_id', 'bigint')
        .addColumn('subject_user_id', 'bigint')
        .addColumn('package_id', 'bigint')
        .addColumn('package_name', 'text')
        .addColumn('version', 'text')
        .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('audit_log_package').on('audit_log').columns(['package_id', 'id']).execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();
      await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_user_id', 'id']).execute();
      await appendOnly(db, dialect);

      await db.schema
        .createTable('action_buckets')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('refilled_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('action_buckets_pk', ['action', 'subject'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['action_buckets', 'audit_log', 'reserved_names', 'owner_invitations', 'dist_tags']) {
        await db.schema.dropTable(table).execute();
      }
      if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
      await db.schema.alterTable('users').dropColumn('is_admin').execute();
      for (const c of [...DEPRECATION, 'locked_at', 'locked_reason', 'locked_by'])
        await db.schema.alterTable('packages').dropColumn(c).execute();
      for (const c of ['yanked_at', 'yank_reason', 'yanked_by', ...DEPRECATION])
        await db.schema.alterTable('versions').dropColumn(c).execute();
    },
  };
}

const DEPRECATION = ['deprecation_reason', 'deprecation_message', 'deprecation_replacement', 'deprecated_at', 'deprecated_by'];

async function addColumns(db: Kysely<unknown>, table: string, columns: readonly string[]): Promise<void> {
  for (const column of columns) await db.schema.alterTable(table).addColumn(column, 'text').execute();
}

/** The audit log is append-only in the database itself: an UPDATE or DELETE of a row fails. */
async function appendOnly(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
}

import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The changes feed (GET /changes): one row per publish, delete, yank, deprecation and tag change,
 * written in the change's transaction. On PostgreSQL ids are handed out at insert, not at commit, so
 * each row also keeps its transaction id; readers order by (txid, id) and stop below the oldest
 * transaction still running, which gives every follower one gap-free order. Versions published
 * before the feed existed enter it as publishes.
 */
export function changesSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const pg = dialect === 'postgres';
      await db.schema
        .createTable('changes')
        .addColumn('id', sql.raw(pg ? 'bigserial' : 'integer'), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('txid', 'bigint', (c) => c.notNull().defaultTo(pg ? sql`(pg_current_xact_id()::text::bigint)` : 0))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('package', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema.createIndex('changes_order').on('changes').columns(['txid', 'id']).execute();
      // What was published before the feed existed, as publishes in publish order, so a follower
      // starting from the beginning sees every live version (their current state comes with them).
      await sql`INSERT INTO changes (at, kind, package, version, data)
        SELECT v.published_at, 'publish', p.name, v.version, '{}'
        FROM versions v JOIN packages p ON p.id = v.package_id
        WHERE v.deleted_at IS NULL
        ORDER BY v.published_at, v.id`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('changes').execute();
    },
  };
}

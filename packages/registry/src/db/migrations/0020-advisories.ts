import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Security advisories (OSV documents) and the packages each names. An advisory keeps its document
 * as sent, beside the fields the API filters and sorts on; `revision` moves on every change, so a
 * parsed copy cached by (seq, revision) is never stale. `advisory_packages` is read by canonical
 * name: the bulk query asks for thousands of names in one indexed lookup.
 */
export function advisoriesSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('advisories')
        .addColumn('seq', sql.raw(dialect === 'postgres' ? 'bigserial' : 'integer'), (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('level', 'text')
        .addColumn('published', 'text', (c) => c.notNull())
        .addColumn('modified', 'text', (c) => c.notNull())
        .addColumn('withdrawn', 'text')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('advisory_packages')
        .addColumn('advisory_seq', 'bigint', (c) => c.notNull().references('advisories.seq').onDelete('cascade'))
        .addColumn('package_id', 'bigint', (c) => c.notNull().references('packages.id'))
        .addColumn('canonical_name', 'text', (c) => c.notNull())
        // The advisory's revision, repeated: the bulk query reads names and revisions off one index.
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_packages_pk', ['advisory_seq', 'package_id'])
        .execute();
      await db.schema
        .createIndex('advisory_packages_by_name')
        .on('advisory_packages')
        .columns(['canonical_name', 'advisory_seq', 'revision'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('advisory_packages').execute();
      await db.schema.dropTable('advisories').execute();
    },
  };
}

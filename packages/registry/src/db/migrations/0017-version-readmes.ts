import type { Kysely, Migration } from 'kysely';

/**
 * Each version's README, taken from its tarball at publish (cut at a size cap), and its sanitised HTML,
 * rendered then (once) for the web pages.
 * A table of its own rather than a column of `versions`: the many reads of version rows never carry
 * up to half a megabyte of text they do not show. Versions published before this have none.
 */
export function versionReadmesSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('version_readmes')
        .addColumn('version_id', 'bigint', (c) => c.primaryKey().references('versions.id').onDelete('cascade'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('truncated', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('version_readmes').execute();
    },
  };
}

import type { Kysely, Migration } from 'kysely';

/**
 * Pull-through's cache of an upstream registry (packages/registry/src/mirror): its JSON documents, kept with when they
 * were fetched (served fresh up to a max age, stale while the upstream is down), and the tarballs
 * fetched through it, verified and kept forever in the blob store (rows here keep them from the sweep).
 */
export function upstreamCacheSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('upstream_documents')
        // `package:<canonical name>` or `version:<canonical name>@<version>`.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('canonical_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('upstream_documents_by_name').on('upstream_documents').column('canonical_name').execute();
      await db.schema
        .createTable('upstream_tarballs')
        .addColumn('canonical_name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('integrity', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('upstream_tarballs_pk', ['canonical_name', 'version'])
        .execute();
      await db.schema.createIndex('upstream_tarballs_by_checksum').on('upstream_tarballs').column('checksum').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('upstream_tarballs').execute();
      await db.schema.dropTable('upstream_documents').execute();
    },
  };
}

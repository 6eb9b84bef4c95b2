import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What ranking, typo tolerance, autocomplete and trending need beside the full-text index:
 *
 * - `package_popularity`: downloads per package over the last 30 days and the last two weeks,
 *   recomputed from `download_counts` (see db/package-popularity.ts), so a search joins one row per
 *   package instead of summing daily counts.
 * - `search_words`: the vocabulary of indexed words, filled as packages are indexed, where typo
 *   candidates (the exact edit-distance-1 neighbourhood of a query word, see search/typos.ts) are
 *   looked up by equality. A primary-key probe per candidate is ~0.5 µs; FTS5's own `fts5vocab`
 *   view answers the same question 15× slower. Words of deleted packages linger until a reindex,
 *   which is harmless: a candidate that matches no package adds nothing to the query.
 * - Indexes for suggest (name prefixes on PostgreSQL; SQLite uses the unique index with a range) and
 *   for the recent list's staleness check (packages.updated_at).
 */
export function searchRankingSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('package_popularity')
        .addColumn('package_id', 'bigint', (c) => c.primaryKey().references('packages.id').onDelete('cascade'))
        .addColumn('recent_downloads', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_week', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('prior_week', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('package_popularity_growth').on('package_popularity').expression(sql`(last_week - prior_week)`).execute();
      await db.schema
        .createTable('search_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // max(updated_at) tells the recent list whether its cached total is stale.
      await db.schema.createIndex('packages_updated_at').on('packages').column('updated_at').execute();
      if (dialect === 'sqlite') {
        await sql`CREATE TABLE search_words (word text PRIMARY KEY) WITHOUT ROWID`.execute(db);
        return;
      }
      await sql`CREATE TABLE search_words (word text PRIMARY KEY)`.execute(db);
      // LIKE 'prefix%' on a non-C collation needs the pattern operator class to use an index.
      await sql`CREATE INDEX packages_canonical_prefix ON packages (canonical_name text_pattern_ops)`.execute(db);
    },
  };
}

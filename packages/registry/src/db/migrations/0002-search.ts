import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The full-text index over name, keywords, description and author. SQLite keeps an FTS5 table whose
 * rowid is the package id; PostgreSQL keeps a weighted tsvector (A name, B keywords, C description,
 * D author). Both are written in the same transaction as the package row.
 */
export function searchSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE package_search USING fts5(
          name, keywords, description, author, tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db);
        return;
      }
      await sql`ALTER TABLE packages ADD COLUMN search_vector tsvector`.execute(db);
      await sql`CREATE INDEX packages_search_vector ON packages USING gin (search_vector)`.execute(db);
    },
  };
}

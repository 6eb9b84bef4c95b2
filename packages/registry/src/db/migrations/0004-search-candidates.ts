import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Speed for broad searches at 100,000 packages. SQLite: the FTS5 table gains prefix indexes for
 * one to three characters, so the last word typed as a prefix (`a`, `st`, `htt`) reads one doclist
 * instead of merging every word that starts with it (counting `a*` fell from 22 ms to 2 ms). FTS5
 * options are fixed at creation, so the table is rebuilt from its own stored columns.
 */
export function searchCandidatesSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      await sql`CREATE VIRTUAL TABLE package_search_prefixed USING fts5(
        name, keywords, description, author, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
      )`.execute(db);
      await sql`INSERT INTO package_search_prefixed (rowid, name, keywords, description, author)
        SELECT rowid, name, keywords, description, author FROM package_search`.execute(db);
      await sql`DROP TABLE package_search`.execute(db);
      await sql`ALTER TABLE package_search_prefixed RENAME TO package_search`.execute(db);
    },
  };
}

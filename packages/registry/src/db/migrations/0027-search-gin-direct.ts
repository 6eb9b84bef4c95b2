import { sql, type Kysely, type Migration } from 'kysely';

/**
 * PostgreSQL: the search index's GIN takes each change directly instead of through its pending list.
 * With the default (fastupdate on) up to 4 MB of recent entries sit unsorted beside the index, and
 * every search scans all of them: after loading 100,000 packages that was 11,000 entries and 10 to
 * 20 ms a broad query. A publish pays a little more to update the index in place; searches far outnumber
 * publishes. The entries already pending are merged now.
 */
export function searchGinDirectSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`ALTER INDEX packages_search_vector SET (fastupdate = off)`.execute(db);
      await sql`SELECT gin_clean_pending_list('packages_search_vector'::regclass)`.execute(db);
    },
  };
}

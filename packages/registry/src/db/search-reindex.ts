/** Rebuilds the search index and vocabulary from the package rows: recovery after a bad restore or a bug. */
import { sql } from 'kysely';
import { clearSearchIndex, indexPackages, type SearchDocument } from './search-index.ts';
import { refreshPopularity } from './package-popularity.ts';
import type { Db } from './users.ts';

const BATCH = 2_000;

/**
 * Empties the index and writes every live package back, in one transaction (searches meanwhile see
 * the old index), then recomputes popularity. Returns how many packages were indexed.
 */
export async function reindexAll(db: Db, dialect: 'sqlite' | 'postgres', now: Date): Promise<number> {
  let indexed = 0;
  await db.transaction().execute(async (trx) => {
    await clearSearchIndex(trx, dialect);
    for (let after = 0; ; ) {
      const { rows } = await sql<{ id: number; name: string; keywords: string; description: string | null; author: string | null }>`
        SELECT id, name, keywords, description, author FROM packages
        WHERE latest_version IS NOT NULL AND id > ${after} ORDER BY id LIMIT ${BATCH}`.execute(trx);
      if (rows.length === 0) break;
      const docs: SearchDocument[] = rows.map((r) => ({
        packageId: Number(r.id),
        name: r.name,
        keywords: JSON.parse(r.keywords) as string[],
        description: r.description,
        author: r.author,
      }));
      await indexPackages(trx, dialect, docs);
      indexed += docs.length;
      after = Number(rows[rows.length - 1]!.id);
    }
  });
  await refreshPopularity(db, dialect, now);
  return indexed;
}

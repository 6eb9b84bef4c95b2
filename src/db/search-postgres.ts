/**
 * Runs a parsed search query on PostgreSQL: the weighted tsvector kept on each package row, ranked
 * by ts_rank_cd (name > keywords > description > author), with the same exact-name boost and
 * download nudge as SQLite.
 */
import { sql } from 'kysely';
import { canonicalName } from '../names.ts';
import type { PackageRow } from './schema.ts';
import type { SearchPage } from './search-packages.ts';
import type { Db } from './users.ts';

export interface PostgresSearch {
  /** tsquery text for `to_tsquery('simple', …)`; null means "every package". */
  tsquery: string | null;
  exactName: string | null;
  limit: number;
  offset: number;
}

export async function searchPostgres(db: Db, q: PostgresSearch): Promise<SearchPage> {
  const exact = q.exactName === null ? '' : canonicalName(q.exactName);
  const filter = q.tsquery === null ? sql`TRUE` : sql`p.search_vector @@ to_tsquery('simple', ${q.tsquery})`;
  const rank = q.tsquery === null
    ? sql`0.0`
    : sql`ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_vector, to_tsquery('simple', ${q.tsquery}))`;
  const score = sql`(10.0 * ${rank} + 0.05 * ln(1 + p.downloads) + CASE WHEN p.canonical_name = ${exact} THEN 1000.0 ELSE 0.0 END)`;
  const where = sql`WHERE p.latest_version IS NOT NULL AND ${filter}`;
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`SELECT count(*) AS n FROM packages p ${where}`.execute(db),
    sql<PackageRow & { score: number }>`SELECT p.id, p.name, p.canonical_name, p.description, p.author, p.license,
        p.homepage, p.repository, p.keywords, p.latest_version, p.downloads, p.created_at, p.updated_at, ${score} AS score
      FROM packages p ${where} ORDER BY score DESC, p.name ASC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
  ]);
  return {
    total: Number(count.rows[0]?.n ?? 0),
    hits: rows.rows.map(({ score: s, ...pkg }) => ({ pkg: pkg as PackageRow, score: Math.round(Number(s) * 1000) / 1000 })),
  };
}

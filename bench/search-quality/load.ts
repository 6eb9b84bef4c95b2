/**
 * Writes a corpus straight into a registry database, the way publish leaves it (package, version and
 * owner rows, the search index through the same indexPackages publish uses, daily download counts),
 * without tarballs or HTTP: 5,000 packages load in a second or two instead of minutes.
 */
import { sql } from 'kysely';
import type { RegistryDatabase } from '../../packages/registry/src/db/database.ts';
import { indexPackages } from '../../packages/registry/src/db/search-index.ts';
import { refreshPopularity } from '../../packages/registry/src/db/package-popularity.ts';
import type { CorpusPackage } from './corpus.ts';
import { seeded } from './corpus.ts';

export interface LoadOptions {
  now: Date;
  /** Cap on versions per package (the corpus asks for 1–9). */
  maxVersions?: number;
  /** Days of download counts per package, ending yesterday; the downloads spread over them. Default 1. */
  downloadDays?: number;
  /** Called after each chunk with the packages written so far. */
  progress?: (done: number) => void;
}

const CHUNK = 500;
const DAY_MS = 86_400_000;

/** Loads the corpus; returns the number of versions written. */
export async function loadCorpus(db: RegistryDatabase, corpus: readonly CorpusPackage[], options: LoadOptions): Promise<number> {
  const k = db.kysely;
  const rand = seeded(7);
  const now = options.now.getTime();
  const iso = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
  const user = await k
    .insertInto('users')
    .values({ username: `corpus-${now}`, email: `corpus-${now}@example.com`, password_hash: '!', created_at: iso(2000), is_active: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  let versionsWritten = 0;
  for (let start = 0; start < corpus.length; start += CHUNK) {
    const chunk = corpus.slice(start, start + CHUNK);
    await k.transaction().execute(async (trx) => {
      const counts = chunk.map((c) => Math.max(1, Math.min(c.versions, options.maxVersions ?? Infinity)));
      const ids = await trx
        .insertInto('packages')
        .values(
          chunk.map((c, i) => ({
            name: c.name,
            canonical_name: c.name.toLowerCase().replace(/[-_.]+/g, '-'),
            description: c.description,
            author: c.author,
            license: 'MIT',
            keywords: JSON.stringify(c.keywords),
            latest_version: `1.0.${counts[i]! - 1}`,
            downloads: c.downloads * 4,
            created_at: iso(c.ageDays + counts[i]! * 10),
            updated_at: iso(c.ageDays),
          })),
        )
        .returning('id')
        .execute();
      await trx
        .insertInto('package_owners')
        .values(ids.map((r) => ({ package_id: r.id, user_id: user.id, created_at: iso(1000) })))
        .execute();
      const versions = chunk.flatMap((c, i) =>
        Array.from({ length: counts[i]! }, (_, v) => ({
          package_id: ids[i]!.id,
          version: `1.0.${v}`,
          checksum: `${String(ids[i]!.id).padStart(16, '0')}${String(v).padStart(48, '0')}`,
          integrity: 'sha512-corpus',
          size: 1024,
          dependencies: '{}',
          keywords: JSON.stringify(c.keywords),
          description: c.description,
          published_by: user.id,
          // The latest is the newest: `ageDays` ago; earlier ones ten days apart before it.
          published_at: iso(c.ageDays + (counts[i]! - 1 - v) * 10),
        })),
      );
      const latestIds: number[] = [];
      for (let v = 0; v < versions.length; v += 1_000) {
        const rows = await trx
          .insertInto('versions')
          .values(versions.slice(v, v + 1_000))
          .returning(['id', 'package_id', 'version'])
          .execute();
        for (const row of rows) {
          const i = ids.findIndex((r) => r.id === row.package_id);
          if (row.version === `1.0.${counts[i]! - 1}`) latestIds[i] = row.id;
        }
      }
      versionsWritten += versions.length;
      const days = options.downloadDays ?? 1;
      const daily = chunk.flatMap((c, i) => {
        // A random trend per package, so the last week and the week before differ.
        const trend = 0.5 + rand();
        return Array.from({ length: days }, (_, d) => ({
          version_id: latestIds[i]!,
          day: iso(d + 1).slice(0, 10),
          count: Math.max(1, Math.round((c.downloads / days) * (d < 7 ? trend : 1))),
        }));
      });
      for (let d = 0; d < daily.length; d += 2_000)
        await trx
          .insertInto('download_counts')
          .values(daily.slice(d, d + 2_000))
          .execute();
      await indexPackages(
        trx,
        db.dialect,
        chunk.map((c, i) => ({
          packageId: ids[i]!.id,
          name: c.name,
          keywords: c.keywords,
          description: c.description,
          author: c.author,
        })),
      );
    });
    options.progress?.(Math.min(corpus.length, start + CHUNK));
  }
  if (db.dialect === 'postgres') await sql`ANALYZE`.execute(k);
  await refreshPopularity(k, db.dialect, options.now);
  return versionsWritten;
}

/** Registry-wide counts and downloads, for GET /stats and the home page. */
import { sql } from 'kysely';
import type { Db } from '../db/users.ts';

export interface RegistryStats {
  packages: number;
  versions: number;
  users: number;
  downloads: { total: number; last_day: number; last_week: number; last_month: number };
  generated_at: string;
}

const dayOffset = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);

async function downloadsSince(db: Db, day: string): Promise<number> {
  const row = await db
    .selectFrom('download_counts')
    .select(sql<string>`coalesce(sum(count), 0)`.as('n'))
    .where('day', '>=', day)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reads what the download recorder has written; downloads still buffered show after its next flush. */
export async function registryStats(db: Db, now: Date): Promise<RegistryStats> {
  const count = async (table: 'users' | 'packages' | 'versions', live: boolean) => {
    let q = db.selectFrom(table).select(sql<string>`count(*)`.as('n'));
    if (live && table === 'versions') q = q.where('deleted_at', 'is', null);
    if (live && table === 'packages') q = q.where('latest_version', 'is not', null);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const [packages, versions, users, total, lastDay, lastWeek, lastMonth] = await Promise.all([
    count('packages', true),
    count('versions', true),
    count('users', false),
    downloadsSince(db, '0000-00-00'),
    downloadsSince(db, dayOffset(now, 0)),
    downloadsSince(db, dayOffset(now, 6)),
    downloadsSince(db, dayOffset(now, 29)),
  ]);
  return {
    packages,
    versions,
    users,
    downloads: { total, last_day: lastDay, last_week: lastWeek, last_month: lastMonth },
    generated_at: now.toISOString(),
  };
}

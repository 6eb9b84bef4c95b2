/**
 * The versions downloaded most over the last days: the tarballs a restarted registry is about to be
 * asked for again, which its warm-up holds in memory before it listens (server/warm-paths.ts).
 */
import type { Db } from './users.ts';

export interface DownloadedVersion {
  /** The package's name as published. */
  name: string;
  version: string;
  size: number;
}

export interface RecentDownloadsOptions {
  /** First day counted (YYYY-MM-DD); `download_counts` is indexed by day. */
  since: string;
  limit: number;
  /** Larger tarballs are left out (the blob cache does not hold them). */
  maxSize: number;
}

/** Most downloads since `options.since` first; deleted versions never. */
export async function recentlyDownloadedVersions(db: Db, options: RecentDownloadsOptions): Promise<DownloadedVersion[]> {
  return db
    .selectFrom('download_counts as dc')
    .innerJoin('versions as v', 'v.id', 'dc.version_id')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .select(['p.name', 'v.version', 'v.size'])
    .where('dc.day', '>=', options.since)
    .where('v.deleted_at', 'is', null)
    .where('v.size', '<=', options.maxSize)
    .groupBy(['v.id', 'p.name', 'v.version', 'v.size'])
    .orderBy((eb) => eb.fn.sum('dc.count'), 'desc')
    .orderBy('v.id', 'desc')
    .limit(options.limit)
    .execute();
}

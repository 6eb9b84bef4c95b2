/**
 * When an owner may delete a version (npm's and crates.io's rules since left-pad): freely within a
 * window after publishing; past it only if no other package's live version depends on it and it
 * was downloaded fewer than N times in the last 30 days. Admins may always delete.
 */
import semver from 'semver';
import type { DeletionConfig } from '../config/index.ts';
import { dependentRanges } from '../db/version-dependencies.ts';
import type { Db } from '../db/users.ts';

export const DELETE_REFUSALS = ['delete_window_passed_has_dependents', 'delete_window_passed_downloads'] as const;
export type DeleteRefusal = (typeof DELETE_REFUSALS)[number];

/** Distinct dependent ranges read at most; past this many the version counts as depended on. */
const MAX_DEPENDENT_RANGES = 1_000;
const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

export interface DeleteVerdict {
  /** The end of the free-deletion window while it is open, else null. */
  deletableUntil: string | null;
  refusal: DeleteRefusal | null;
  /** What the refusal means and what to do instead. */
  detail: string | null;
  /**
   * Until when the clock alone cannot change the verdict (only writes can): the window's end while
   * it is open, else the next UTC midnight, when the 30 days of downloads move on.
   */
  holdsUntil: Date;
}

export interface PolicySubject {
  packageId: number;
  name: string;
  versionId: number;
  version: string;
  publishedAt: string;
}

export async function deleteVerdict(db: Db, config: DeletionConfig, now: Date, v: PolicySubject): Promise<DeleteVerdict> {
  const windowEnd = new Date(Date.parse(v.publishedAt) + config.windowHours * 3_600_000);
  if (now < windowEnd) return { deletableUntil: windowEnd.toISOString(), refusal: null, detail: null, holdsUntil: windowEnd };
  const holdsUntil = new Date((Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS);
  const label = `${v.name}@${v.version}`;
  const yank = `yank it instead (synapse pkg yank ${label}): new installs skip it and existing lockfiles keep working`;
  const hours = `${config.windowHours} hours`;
  if (await hasDependents(db, v)) {
    const detail = `${label} was published more than ${hours} ago and another package's live version depends on it; ${yank}`;
    return { deletableUntil: null, refusal: 'delete_window_passed_has_dependents', detail, holdsUntil };
  }
  const recent = await recentDownloads(db, v.versionId, now);
  if (recent >= config.maxRecentDownloads) {
    const detail =
      `${label} was published more than ${hours} ago and was downloaded ${recent} times in the last ${RECENT_DAYS} days ` +
      `(deletion needs fewer than ${config.maxRecentDownloads}); ${yank}`;
    return { deletableUntil: null, refusal: 'delete_window_passed_downloads', detail, holdsUntil };
  }
  return { deletableUntil: null, refusal: null, detail: null, holdsUntil };
}

/**
 * True when a live version of another package has a dependency on this package whose range this
 * version satisfies (npm's prerelease rule, as the resolver applies it). Yanked dependents count:
 * their lockfiles still install them. A list of ranges too long to read counts as depended on.
 */
async function hasDependents(db: Db, v: PolicySubject): Promise<boolean> {
  const ranges = await dependentRanges(db, { name: v.name, excludePackageId: v.packageId, limit: MAX_DEPENDENT_RANGES + 1 });
  if (ranges.length > MAX_DEPENDENT_RANGES) return true;
  return ranges.some((range) => semver.satisfies(v.version, range));
}

/** Downloads today and on the 29 days before (UTC days, as download_counts keeps them). */
async function recentDownloads(db: Db, versionId: number, now: Date): Promise<number> {
  const since = new Date(now.getTime() - (RECENT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const row = await db
    .selectFrom('download_counts')
    .select((eb) => eb.fn.sum<number | string | null>('count').as('total'))
    .where('version_id', '=', versionId)
    .where('day', '>=', since)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * Downloads per package over recent windows, for ranking (last 30 days) and trending (last 7 days
 * against the 7 before), kept in `package_popularity` so a search joins one row per package.
 *
 * The table is recomputed from `download_counts` when it may be stale (the download log grew or
 * the day changed since the last run), by a timer the server starts (popularity-refresher.ts), never
 * inside a request: a GET never writes, and no search waits for a recomputation.
 */
import { sql } from 'kysely';
import type { Db } from './users.ts';

export interface PopularityWindows {
  /** First day (YYYY-MM-DD) of each window; every window ends today. */
  recent: string;
  lastWeek: string;
  priorWeek: string;
}

const DAY_MS = 86_400_000;
/** The day (YYYY-MM-DD, UTC) `daysAgo` days before `at`, as `download_counts` stores days. */
export const dayBefore = (at: Date, daysAgo: number) => new Date(at.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);

/** The windows for a given moment: 30 days, the last 7 days, and the 7 days before those. */
export function popularityWindows(now: Date): PopularityWindows {
  return { recent: dayBefore(now, 29), lastWeek: dayBefore(now, 6), priorWeek: dayBefore(now, 13) };
}

/** Recomputes every package's recent downloads, in one transaction. */
export async function refreshPopularity(db: Db, dialect: 'sqlite' | 'postgres', now: Date): Promise<void> {
  const w = popularityWindows(now);
  await db.transaction().execute(async (trx) => {
    // One refresher at a time across instances; the next one recomputes from the committed state.
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('package_popularity'))`.execute(trx);
    const logged = await sql<{ id: number | null }>`SELECT max(id) AS id FROM download_log`.execute(trx);
    await sql`DELETE FROM package_popularity`.execute(trx);
    await sql`INSERT INTO package_popularity (package_id, recent_downloads, last_week, prior_week)
      SELECT v.package_id, sum(dc.count),
        sum(CASE WHEN dc.day >= ${w.lastWeek} THEN dc.count ELSE 0 END),
        sum(CASE WHEN dc.day >= ${w.priorWeek} AND dc.day < ${w.lastWeek} THEN dc.count ELSE 0 END)
      FROM download_counts dc JOIN versions v ON v.id = dc.version_id
      WHERE dc.day >= ${w.recent}
      GROUP BY v.package_id`.execute(trx);
    await writeState(trx, stamp(now, logged.rows[0]?.id ?? null));
  });
}

/**
 * Refreshes `package_popularity` if downloads were logged or the day turned since it was computed:
 * one indexed max() and one key lookup when nothing changed. Returns whether it recomputed.
 */
export async function refreshPopularityIfStale(db: Db, dialect: 'sqlite' | 'postgres', now: Date): Promise<boolean> {
  const [logged, state] = await Promise.all([
    sql<{ id: number | null }>`SELECT max(id) AS id FROM download_log`.execute(db),
    sql<{ value: string }>`SELECT value FROM search_state WHERE key = 'popularity'`.execute(db),
  ]);
  if (state.rows[0]?.value === stamp(now, logged.rows[0]?.id ?? null)) return false;
  await refreshPopularity(db, dialect, now);
  return true;
}

const stamp = (now: Date, lastLogId: number | null) => `${now.toISOString().slice(0, 10)}:${lastLogId ?? 0}`;

async function writeState(db: Db, value: string): Promise<void> {
  await sql`INSERT INTO search_state (key, value) VALUES ('popularity', ${value})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
}

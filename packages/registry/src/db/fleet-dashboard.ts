/**
 * The admin dashboard's reads: fleet report rows summed over every instance, versions published,
 * downloads per package, the instances that reported lately. Each is bounded: at most 60 buckets of
 * one span (instances × route templates rows each), grouped into at most 60 bars or LIMITed lists.
 */
import { sql, type RawBuilder } from 'kysely';
import type { FleetSpan } from './schema-fleet.ts';
import type { Db } from './users.ts';
import { FLEET_LATENCY_SLOTS } from './migrations/0019-fleet-reports.ts';

export interface BucketRange {
  span: FleetSpan;
  /** The first bar's key: rows from that bucket on are read. */
  firstKey: string;
}

export interface RequestSums {
  requests: number;
  status4xx: number;
  status5xx: number;
  /** Requests per latency slot, summed over instances and buckets. */
  latency: number[];
}

export interface RouteSums extends RequestSums {
  method: string;
  route: string;
}

const LATENCY = Array.from({ length: FLEET_LATENCY_SLOTS }, (_, i) => `lat_${i}`);
const SUMS = sql.join(['requests', 'status_4xx', 'status_5xx', ...LATENCY].map((c) => sql`sum(${sql.ref(c)}) AS ${sql.ref(c)}`));

type SumRow = Record<string, number | string | null>;
const sums = (row: SumRow | undefined): RequestSums => ({
  requests: Number(row?.requests ?? 0),
  status4xx: Number(row?.status_4xx ?? 0),
  status5xx: Number(row?.status_5xx ?? 0),
  latency: LATENCY.map((c) => Number(row?.[c] ?? 0)),
});

const inRange = (r: BucketRange): RawBuilder<unknown> => sql`span = ${r.span} AND bucket >= ${r.firstKey}`;

/** The busiest routes (method and template) of the range, fleet-wide. */
export async function routeSums(db: Db, range: BucketRange & { limit: number }): Promise<RouteSums[]> {
  const { rows } = await sql<SumRow>`SELECT method, route, ${SUMS} FROM fleet_route_counts WHERE ${inRange(range)}
    GROUP BY method, route ORDER BY sum(requests) DESC, method, route LIMIT ${range.limit}`.execute(db);
  return rows.map((row) => ({ method: String(row.method), route: String(row.route), ...sums(row) }));
}

/** Every request of the range, fleet-wide. */
export async function requestSums(db: Db, range: BucketRange): Promise<RequestSums> {
  const { rows } = await sql<SumRow>`SELECT ${SUMS} FROM fleet_route_counts WHERE ${inRange(range)}`.execute(db);
  return sums(rows[0]);
}

export interface ActivitySums {
  publishesOk: number;
  publishesRefused: number;
  downloads: number;
  downloadBytes: number;
}

/** Publishes and downloads the instances counted, per bar (the key cut to `keyLength`). */
export async function activityByBar(db: Db, range: BucketRange & { keyLength: number }): Promise<Map<string, ActivitySums>> {
  const { rows } = await sql<{ k: string; ok: number; refused: number; downloads: number; bytes: number }>`
    SELECT substr(bucket, 1, ${sql.lit(range.keyLength)}) AS k, sum(publishes_ok) AS ok, sum(publishes_refused) AS refused,
      sum(downloads) AS downloads, sum(download_bytes) AS bytes
    FROM fleet_activity WHERE ${inRange(range)} GROUP BY k`.execute(db);
  return new Map(
    rows.map((r) => [
      r.k,
      { publishesOk: Number(r.ok), publishesRefused: Number(r.refused), downloads: Number(r.downloads), downloadBytes: Number(r.bytes) },
    ]),
  );
}

/** Versions published since `from` (ISO) per bar, from the versions themselves (deleted ones included). */
export async function publishedByBar(db: Db, range: { from: string; keyLength: number }): Promise<Map<string, number>> {
  const { rows } = await sql<{ k: string; n: number }>`SELECT substr(published_at, 1, ${sql.lit(range.keyLength)}) AS k, count(*) AS n
    FROM versions WHERE published_at >= ${range.from} GROUP BY k`.execute(db);
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

export interface PackageDownloads {
  name: string;
  downloads: number;
}

/** The most downloaded packages from `firstDay` (YYYY-MM-DD) to today, from the daily counts. */
export async function topDownloadsSince(db: Db, options: { firstDay: string; limit: number }): Promise<PackageDownloads[]> {
  const { rows } = await sql<{ name: string; n: number }>`SELECT p.name, sum(dc.count) AS n
    FROM download_counts dc JOIN versions v ON v.id = dc.version_id JOIN packages p ON p.id = v.package_id
    WHERE dc.day >= ${options.firstDay} GROUP BY p.id, p.name ORDER BY n DESC, p.name LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => ({ name: r.name, downloads: Number(r.n) }));
}

/** The most downloaded packages of the last 30 days, as the popularity refresher last summed them. */
export async function topDownloadsRecent(db: Db, limit: number): Promise<PackageDownloads[]> {
  const { rows } = await sql<{ name: string; n: number }>`SELECT p.name, pp.recent_downloads AS n
    FROM package_popularity pp JOIN packages p ON p.id = pp.package_id
    WHERE pp.recent_downloads > 0 ORDER BY pp.recent_downloads DESC, p.name LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ name: r.name, downloads: Number(r.n) }));
}

/** Instances whose last report is `since` (ISO) or later, by id. */
export async function instancesSeenSince(db: Db, options: { since: string; limit: number }) {
  return db
    .selectFrom('fleet_instances')
    .selectAll()
    .where('last_seen', '>=', options.since)
    .orderBy('instance_id')
    .limit(options.limit)
    .execute();
}

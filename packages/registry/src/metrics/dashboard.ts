/**
 * What the admin dashboard shows for a range, fleet-wide: publishes and downloads per bar, requests,
 * error rates and p50/p99 latency (overall and per route, from histogram slots summed over every
 * instance), the most downloaded packages, and the instances that reported in the last minute.
 * Health is not here: the HTTP layer adds its readiness checks.
 */
import {
  activityByBar,
  instancesSeenSince,
  publishedByBar,
  requestSums,
  routeSums,
  topDownloadsRecent,
  topDownloadsSince,
  type ActivitySums,
  type PackageDownloads,
  type RequestSums,
} from '../db/fleet-dashboard.ts';
import type { Db } from '../db/users.ts';
import { rangeWindow, type DashboardRange, type RangeWindow } from './dashboard-range.ts';
import { quantile } from './latency-quantile.ts';

export const ROUTES_SHOWN = 50;
export const TOP_PACKAGES = 10;
export const INSTANCES_SHOWN = 100;
/** Instances whose last report is older than this are not listed. */
export const LIVE_WITHIN_MS = 60_000;

export interface RequestStats {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Server errors (5xx) per request; null without requests. */
  errorRate: number | null;
  p50Seconds: number | null;
  p99Seconds: number | null;
}

export interface DashboardData {
  window: RangeWindow;
  /** One per key of the window, oldest first: versions published and downloads served. */
  bars: Array<{ key: string; publishes: number; downloads: number }>;
  requests: RequestStats;
  activity: ActivitySums;
  routes: Array<{ method: string; route: string } & RequestStats>;
  /** `since`: the first UTC day counted (downloads are counted per day). */
  topPackages: { since: string; packages: PackageDownloads[] };
  instances: Array<{ id: string; version: string; startedAt: string; lastSeen: string }>;
}

export function requestStats(s: RequestSums): RequestStats {
  return {
    requests: s.requests,
    clientErrors: s.status4xx,
    serverErrors: s.status5xx,
    errorRate: s.requests > 0 ? s.status5xx / s.requests : null,
    p50Seconds: quantile(s.latency, 0.5),
    p99Seconds: quantile(s.latency, 0.99),
  };
}

const NO_ACTIVITY: ActivitySums = { publishesOk: 0, publishesRefused: 0, downloads: 0, downloadBytes: 0 };

function addActivity(a: ActivitySums, b: ActivitySums): ActivitySums {
  return {
    publishesOk: a.publishesOk + b.publishesOk,
    publishesRefused: a.publishesRefused + b.publishesRefused,
    downloads: a.downloads + b.downloads,
    downloadBytes: a.downloadBytes + b.downloadBytes,
  };
}

/** The most downloaded packages: the popularity table for 30 days, else the daily counts the range touches. */
async function topPackages(db: Db, window: RangeWindow) {
  const since = window.from.toISOString().slice(0, 10);
  const packages =
    window.range === 'month'
      ? await topDownloadsRecent(db, TOP_PACKAGES)
      : await topDownloadsSince(db, { firstDay: since, limit: TOP_PACKAGES });
  return { since, packages };
}

export async function readDashboard(db: Db, options: { range: DashboardRange; now: Date }): Promise<DashboardData> {
  const window = rangeWindow(options.range, options.now);
  const buckets = { span: window.span, firstKey: window.keys[0]! };
  const [activity, published, totals, routes, top, instances] = await Promise.all([
    activityByBar(db, { ...buckets, keyLength: window.keyLength }),
    publishedByBar(db, { from: window.from.toISOString(), keyLength: window.keyLength }),
    requestSums(db, buckets),
    routeSums(db, { ...buckets, limit: ROUTES_SHOWN }),
    topPackages(db, window),
    instancesSeenSince(db, { since: new Date(options.now.getTime() - LIVE_WITHIN_MS).toISOString(), limit: INSTANCES_SHOWN }),
  ]);
  return {
    window,
    bars: window.keys.map((key) => ({ key, publishes: published.get(key) ?? 0, downloads: activity.get(key)?.downloads ?? 0 })),
    requests: requestStats(totals),
    activity: [...activity.values()].reduce(addActivity, NO_ACTIVITY),
    routes: routes.map((r) => ({ method: r.method, route: r.route, ...requestStats(r) })),
    topPackages: top,
    instances: instances.map((i) => ({ id: i.instance_id, version: i.version, startedAt: i.started_at, lastSeen: i.last_seen })),
  };
}

/** The dashboard as the API and the page show it: ISO times, milliseconds, snake_case, no row as-is. */
import { keyStart } from '../../metrics/dashboard-range.ts';
import type { DashboardData, RequestStats } from '../../metrics/dashboard.ts';
import type { Readiness } from '../readiness.ts';

export interface HealthFacts {
  readiness: Readiness;
  database: string;
  storage: string;
}

const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 10_000) / 10);
const rate = (r: number | null) => (r === null ? null : Math.round(r * 1_000_000) / 1_000_000);

function statsView(s: RequestStats) {
  return {
    requests: s.requests,
    client_errors: s.clientErrors,
    server_errors: s.serverErrors,
    error_rate: rate(s.errorRate),
    p50_ms: ms(s.p50Seconds),
    p99_ms: ms(s.p99Seconds),
  };
}

export function dashboardView(data: DashboardData, health: HealthFacts, now: Date) {
  const { window, activity } = data;
  return {
    range: window.range,
    interval: window.interval,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    generated_at: now.toISOString(),
    totals: {
      ...statsView(data.requests),
      publishes_ok: activity.publishesOk,
      publishes_refused: activity.publishesRefused,
      downloads: activity.downloads,
      download_bytes: activity.downloadBytes,
    },
    series: data.bars.map((b) => ({ start: keyStart(b.key), publishes: b.publishes, downloads: b.downloads })),
    routes: data.routes.map((r) => ({ method: r.method, route: r.route, ...statsView(r) })),
    top_packages: {
      since: data.topPackages.since,
      packages: data.topPackages.packages.map((p) => ({ name: p.name, downloads: p.downloads })),
    },
    health: {
      status: health.readiness.ok ? ('ok' as const) : ('unavailable' as const),
      checks: health.readiness.checks,
      database: health.database,
      storage: health.storage,
    },
    instances: data.instances.map((i) => ({
      id: i.id,
      version: i.version,
      started_at: i.startedAt,
      last_seen: i.lastSeen,
      uptime_seconds: Math.max(0, Math.round((now.getTime() - Date.parse(i.startedAt)) / 1000)),
    })),
  };
}

export type DashboardView = ReturnType<typeof dashboardView>;

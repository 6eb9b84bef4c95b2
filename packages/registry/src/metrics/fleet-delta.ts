/** What happened between two snapshots of the metrics: the part of a fleet report that counts. */
import type { MetricsSnapshot, RouteTotals } from './snapshot.ts';

export interface FleetDelta {
  /** Routes that saw requests since the last report, with their counts since then. */
  routes: RouteTotals[];
  publishesOk: number;
  publishesRefused: number;
  downloads: number;
  downloadBytes: number;
}

const routeKey = (r: RouteTotals) => `${r.method} ${r.route}`;

/** `now` minus `before`; running totals only grow, so every figure is zero or more. */
export function difference(now: MetricsSnapshot, before: MetricsSnapshot): FleetDelta {
  const earlier = new Map(before.routes.map((r) => [routeKey(r), r]));
  const routes: RouteTotals[] = [];
  for (const r of now.routes) {
    const b = earlier.get(routeKey(r));
    const latency = r.latency.map((n, i) => n - (b?.latency[i] ?? 0));
    const requests = r.requests - (b?.requests ?? 0);
    if (requests === 0 && latency.every((n) => n === 0)) continue;
    routes.push({
      method: r.method,
      route: r.route,
      requests,
      status4xx: r.status4xx - (b?.status4xx ?? 0),
      status5xx: r.status5xx - (b?.status5xx ?? 0),
      latency,
    });
  }
  return {
    routes,
    publishesOk: now.publishesOk - before.publishesOk,
    publishesRefused: now.publishesRefused - before.publishesRefused,
    downloads: now.downloads - before.downloads,
    downloadBytes: now.downloadBytes - before.downloadBytes,
  };
}

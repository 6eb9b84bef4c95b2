/**
 * The running totals of the families the dashboard shows, read from the Prometheus families
 * themselves (one source of truth): the fleet reporter sends the difference between two snapshots.
 */
type Labels = Record<string, string | number>;

export interface RouteTotals {
  method: string;
  /** The route template, as labelled in synapse_http_requests_total. */
  route: string;
  requests: number;
  status4xx: number;
  status5xx: number;
  /** Requests per latency slot: one per bound of LATENCY_BUCKETS, then one above the last. */
  latency: number[];
}

export interface MetricsSnapshot {
  routes: RouteTotals[];
  publishesOk: number;
  publishesRefused: number;
  downloads: number;
  downloadBytes: number;
}

export const EMPTY_SNAPSHOT: MetricsSnapshot = { routes: [], publishesOk: 0, publishesRefused: 0, downloads: 0, downloadBytes: 0 };

export interface SnapshotSources {
  requests: { read(): Array<{ labels: Labels; value: number }> };
  latency: { read(): Array<{ labels: Labels; counts: ArrayLike<number> }> };
  publishes: { read(): Array<{ labels: Labels; value: number }> };
  downloads: { read(): Array<{ labels: Labels; value: number }> };
  bytes: { read(): Array<{ labels: Labels; value: number }> };
}

const sum = (rows: Array<{ value: number }>) => rows.reduce((a, r) => a + r.value, 0);

export function takeSnapshot(sources: SnapshotSources, slots: number): MetricsSnapshot {
  const routes = new Map<string, RouteTotals>();
  const entry = (labels: Labels): RouteTotals => {
    const method = String(labels.method);
    const route = String(labels.route);
    const key = `${method} ${route}`;
    let found = routes.get(key);
    if (!found)
      routes.set(key, (found = { method, route, requests: 0, status4xx: 0, status5xx: 0, latency: new Array<number>(slots).fill(0) }));
    return found;
  };
  for (const { labels, value } of sources.requests.read()) {
    const totals = entry(labels);
    totals.requests += value;
    if (labels.status_class === '4xx') totals.status4xx += value;
    if (labels.status_class === '5xx') totals.status5xx += value;
  }
  for (const { labels, counts } of sources.latency.read()) {
    const totals = entry(labels);
    for (let i = 0; i < slots; i++) totals.latency[i]! += counts[i] ?? 0;
  }
  const publishes = sources.publishes.read();
  return {
    routes: [...routes.values()],
    publishesOk: sum(publishes.filter((p) => p.labels.outcome === 'ok')),
    publishesRefused: sum(publishes.filter((p) => p.labels.outcome === 'refused')),
    downloads: sum(sources.downloads.read()),
    downloadBytes: sum(sources.bytes.read()),
  };
}

/**
 * The registry's metrics: one object per app (never prom-client's global registry: a test process
 * starts many registries), passed to routes in AppDeps. Request-path counting goes through children
 * bound once (families.ts); state kept elsewhere (pools, buffers, caches) is read when scraped.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.tokenCreated();
 * const { contentType, body } = await metrics.render();
 */
import { Registry } from 'prom-client';
import { counter, histogram, LATENCY_BUCKETS, sampled, type CounterChild, type HistogramChild } from './families.ts';
import { processRegistry } from './process-metrics.ts';
import { currentTimings } from './request-timings.ts';
import { EMPTY_SNAPSHOT, takeSnapshot, type MetricsSnapshot } from './snapshot.ts';

export interface RouteObserver {
  /** Counts a response by its status class; each class's series appears on first use. */
  count(status: number): void;
  duration: HistogramChild;
}

export type StorageOp = 'stage' | 'commit' | 'open' | 'remove' | 'exists' | 'ping' | 'download_url';

/**
 * Runs before each scrape: the place for gauges read from elsewhere, e.g. the job queue's depth
 * (`metrics.jobQueue.set(...)` from `queueStats(db, now)`), added with `addCollector`.
 */
export type Collector = () => Promise<void> | void;

export interface Metrics {
  readonly enabled: boolean;
  /** prom-client's registry holding this app's families, for sampled gauges (see internals.ts). */
  readonly registry: Registry;
  route(method: string, url: string): RouteObserver;
  /** A request answered by the front path (server/front-path.ts), counted in its route's series too. */
  frontAnswered(): void;
  publishOk(): void;
  publishRefused(code: string): void;
  downloadServed(bytes: number): void;
  searchRan(seconds: number): void;
  login(outcome: 'ok' | 'failed' | 'throttled'): void;
  tokenCreated(): void;
  /** limiter: read, write_hour, write_day, per_account, login_failures, or a per-action limit's action. */
  rateLimited(limiter: string): void;
  dbQuery(ms: number, failed: boolean): void;
  storageOp(backend: string, op: StorageOp, ms: number, failed: boolean): void;
  /** The job queue's depth by state and its oldest waiting job's age; set by a collector. */
  jobQueue: { set(state: string, depth: number): void; setOldestAgeSeconds(seconds: number): void };
  addCollector(collect: Collector): void;
  render(): Promise<{ contentType: string; body: string }>;
  /** Running totals of requests by route, latency, publishes and downloads (the fleet reports' source). */
  snapshot(): MetricsSnapshot;
}

/** Latency slots of a snapshot: one per bound of the request histogram, then one above the last. */
export const LATENCY_SLOTS = LATENCY_BUCKETS.length + 1;

const CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

export function createMetrics(options: { onCollectError?: (error: unknown) => void } = {}): Metrics {
  const registry = new Registry();
  const r = registry;
  const requests = counter(r, {
    name: 'synapse_http_requests_total',
    help: 'HTTP requests by route template, method and status class',
    labelNames: ['method', 'route', 'status_class'],
  });
  const latency = histogram(r, {
    name: 'synapse_http_request_duration_seconds',
    help: 'HTTP request latency by route template and method',
    labelNames: ['method', 'route'],
  });
  const front = counter(r, {
    name: 'synapse_http_front_path_answers_total',
    help: 'Requests answered from kept documents ahead of the framework (also counted by route)',
  });
  const publishes = counter(r, {
    name: 'synapse_publishes_total',
    help: 'Publishes: ok, or refused with the problem code',
    labelNames: ['outcome', 'code'],
  });
  const downloads = counter(r, {
    name: 'synapse_downloads_total',
    help: 'Tarball downloads served (whole or first range; redirects included)',
  });
  const bytes = counter(r, { name: 'synapse_download_bytes_total', help: 'Tarball bytes sent (as planned at send time)' });
  const search = histogram(r, {
    name: 'synapse_search_duration_seconds',
    help: 'Search query latency (the query alone, not the HTTP exchange)',
  });
  const searches = counter(r, { name: 'synapse_search_queries_total', help: 'Search queries run' });
  const logins = counter(r, { name: 'synapse_logins_total', help: 'Logins by outcome', labelNames: ['outcome'] });
  const tokens = counter(r, { name: 'synapse_tokens_created_total', help: 'API tokens created' });
  const refusals = counter(r, {
    name: 'synapse_rate_limit_refusals_total',
    help: 'Requests refused with 429, by the limit that refused',
    labelNames: ['limiter'],
  });
  const dbLatency = histogram(r, { name: 'synapse_db_query_duration_seconds', help: 'Database statement latency' });
  const dbErrors = counter(r, { name: 'synapse_db_query_errors_total', help: 'Database statements that failed' });
  const storageLatency = histogram(r, {
    name: 'synapse_storage_operation_duration_seconds',
    help: 'Blob storage operation latency by backend and operation',
    labelNames: ['backend', 'op'],
  });
  const storageErrors = counter(r, {
    name: 'synapse_storage_errors_total',
    help: 'Blob storage operations that failed, by backend and operation',
    labelNames: ['backend', 'op'],
  });
  const jobDepth = new Map<string, number>();
  let jobOldest = 0;
  sampledJobQueue(r, jobDepth, () => jobOldest);

  const collectors: Collector[] = [];
  const dbLatencyChild = dbLatency.child();
  const dbErrorsChild = dbErrors.child();
  const frontChild = front.child();
  const [publishOk, downloadsChild, bytesChild, searchChild, searchesChild, tokensChild] = [
    publishes.child('ok', ''),
    downloads.child(),
    bytes.child(),
    search.child(),
    searches.child(),
    tokens.child(),
  ] as const;
  return {
    enabled: true,
    registry,
    route(method, url) {
      const byClass: (CounterChild | undefined)[] = [];
      return {
        count(status) {
          const c = (status / 100) | 0;
          (byClass[c] ??= requests.child(method, url, CLASSES[c] ?? 'other')).inc();
        },
        duration: latency.child(method, url),
      };
    },
    frontAnswered: () => frontChild.inc(),
    publishOk: () => publishOk.inc(),
    publishRefused: (code) => publishes.child('refused', code).inc(),
    downloadServed(sent) {
      downloadsChild.inc();
      bytesChild.inc(sent);
    },
    searchRan(seconds) {
      searchesChild.inc();
      searchChild.observe(seconds);
    },
    login: (outcome) => logins.child(outcome).inc(),
    tokenCreated: () => tokensChild.inc(),
    rateLimited: (limiter) => refusals.child(limiter).inc(),
    dbQuery(ms, failed) {
      dbLatencyChild.observe(ms / 1000);
      if (failed) dbErrorsChild.inc();
      const timings = currentTimings();
      if (timings) timings.dbMs += ms;
    },
    storageOp(backend, op, ms, failed) {
      storageLatency.child(backend, op).observe(ms / 1000);
      if (failed) storageErrors.child(backend, op).inc();
      const timings = currentTimings();
      if (timings) timings.storageMs += ms;
    },
    jobQueue: {
      set: (state, depth) => jobDepth.set(state, depth),
      setOldestAgeSeconds: (seconds) => (jobOldest = seconds),
    },
    addCollector: (collect) => collectors.push(collect),
    snapshot: () => takeSnapshot({ requests, latency, publishes, downloads, bytes }, LATENCY_SLOTS),
    async render() {
      // A collector that fails leaves its gauges as they were; the scrape still answers.
      await Promise.all(
        collectors.map(async (collect) => {
          try {
            await collect();
          } catch (error) {
            options.onCollectError?.(error);
          }
        }),
      );
      const body = (await registry.metrics()) + '\n' + (await processRegistry().metrics());
      return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body };
    },
  };
}

function sampledJobQueue(r: Registry, depth: Map<string, number>, oldest: () => number) {
  sampled(r, {
    name: 'synapse_jobs_queued',
    help: 'Durable jobs by state (set by a collector: see Metrics.jobQueue)',
    read: () => [...depth].map(([state, value]) => ({ labels: { state }, value })),
  });
  sampled(r, { name: 'synapse_jobs_oldest_age_seconds', help: 'Age of the oldest job waiting to run', read: () => [{ value: oldest() }] });
}

const noop = () => undefined;

/** With metrics off: the same calls, doing nothing (the HTTP hooks are then not installed at all). */
export function disabledMetrics(): Metrics {
  return {
    enabled: false,
    registry: new Registry(),
    route: () => ({ count: noop, duration: { observe: noop } }),
    frontAnswered: noop,
    publishOk: noop,
    publishRefused: noop,
    downloadServed: noop,
    searchRan: noop,
    login: noop,
    tokenCreated: noop,
    rateLimited: noop,
    dbQuery: noop,
    storageOp: noop,
    jobQueue: { set: noop, setOldestAgeSeconds: noop },
    addCollector: noop,
    render: async () => ({ contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: '' }),
    snapshot: () => EMPTY_SNAPSHOT,
  };
}

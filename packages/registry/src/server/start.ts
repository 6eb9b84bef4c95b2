/**
 * Wires a registry from its config: database, storage, download counting, the app. Used by
 * main.ts and by the tests, which start real servers on free ports.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { createBlobStore, MAX_HELD_BLOB_BYTES, timedStore, withBlobCache } from '../storage/index.ts';
import { createMetrics, disabledMetrics } from '../metrics/metrics.ts';
import { registerInternals } from '../metrics/internals.ts';
import { startMetricsServer, type MetricsServer } from './metrics-endpoint.ts';
import type { LogDestination } from './log.ts';
import { createDownloadRecorder } from '../registry/download-recorder.ts';
import { startPopularityRefresher, type PopularityRefresher, type RepeatTimer } from '../db/popularity-refresher.ts';
import { createDownloadDedup } from '../registry/download-dedup.ts';
import { createTokenUsage } from '../registry/token-usage.ts';
import { buildApp } from './app.ts';
import { createDocumentCache } from './document-cache.ts';
import { warmPackageDocuments, type WarmedPackage } from './warm-documents.ts';
import { warmPaths } from './warm-paths.ts';
import { warmRequests } from './warm-requests.ts';
import { listen, type Listening } from './listen.ts';
import { createAdvisoryCache } from '../advisories/compiled.ts';
import { warmAdvisories } from '../advisories/warm.ts';
import type { AppDeps } from './deps.ts';
import { loadSecret } from './secret.ts';
import { loginThrottleFor } from './rate-limits.ts';
import { createPasswordHasher } from '../auth/passwords.ts';
import { createActionLimits } from '../registry/action-limits.ts';
import { databaseBucketStore, redisBucketStore } from '../registry/action-bucket-store.ts';
import { createJobRunner, type JobHandler } from '../jobs/runner.ts';
import { registryJobHandlers } from '../jobs/handlers.ts';
import { workerId } from '../jobs/worker-id.ts';
import { queueStats } from '../jobs/stats.ts';
import { createFleetReporter, type FleetReporter } from '../metrics/fleet-reporter.ts';
import { REGISTRY_VERSION } from '../version.ts';
import { createReadmeRenderPool } from '../registry/readme-render-pool.ts';
import { createSecretScanThread } from '../tarball/secret-scan-thread.ts';
import { createPullThrough } from '../mirror/pull-through.ts';

/** Compiled advisories kept per instance (about 2 KB each). */
const ADVISORY_CACHE_ENTRIES = 50_000;
/** Package documents built before listening (a tenth of the document cache), and for at most this long. */
const WARM_DOCUMENTS = 1_000;
const WARM_BUDGET_MS = 2_000;
/** The warm-up requests (REGISTRY_WARM_REQUESTS) stop after this long, whatever is left. */
const WARM_REQUESTS_BUDGET_MS = 3_000;

export interface Registry {
  app: FastifyInstance;
  deps: AppDeps;
  /** Recomputes download popularity in the background; `refresh()` brings it up to date now. */
  popularity: PopularityRefresher;
  /** The separate /metrics listener, when REGISTRY_METRICS_PORT is set. */
  metricsServer: MetricsServer | undefined;
  /** This instance's reports for the admin dashboard; `report()` writes one now. */
  fleet: FleetReporter;
  /** Settles once the stored advisories are compiled into the cache (in the background after the start). */
  advisoriesWarmed: Promise<void>;
  /** Listens where configured (server/listen.ts); the bound address. */
  listen(): Promise<string>;
  /** Stops accepting, finishes requests in flight, flushes download counts, closes pools. */
  close(): Promise<void>;
}

export interface RegistryOptions {
  /** The registry's clock (tests move it on without sleeping). */
  now?: () => Date;
  /** The popularity refresher's timer (tests drive it by hand). */
  timer?: RepeatTimer;
  /** The fleet reporter's timer (tests drive it by hand, or call `fleet.report()`). */
  fleetTimer?: RepeatTimer;
  /** Job handlers by kind, added to (and overriding) the registry's own. */
  jobHandlers?: Record<string, JobHandler>;
  /** Where log lines go instead of stdout. */
  logStream?: LogDestination;
}

export async function createRegistry(config: Config, options: RegistryOptions = {}): Promise<Registry> {
  let app: FastifyInstance | undefined;
  const passwords = await createPasswordHasher(config.auth.passwordHashCost);
  const metrics = config.observability.metricsEnabled
    ? createMetrics({ onCollectError: (error) => app?.log.warn({ err: error }, 'a metrics collector failed') })
    : disabledMetrics();
  const db = await openDatabase(config.database, metrics.enabled ? { onQuery: metrics.dbQuery } : {});
  const backend = await createBlobStore(config.storage);
  // Timed inside the cache: a cache hit is not a storage operation.
  const store = withBlobCache(metrics.enabled ? timedStore(backend, metrics.storageOp) : backend, {
    maxBytes: config.limits.blobCacheBytes,
    maxBlobBytes: MAX_HELD_BLOB_BYTES,
  });
  // Shared rate-limit counters and download windows; a Redis outage must not take the registry down, so commands fail fast.
  // ioredis is loaded only when configured (a tenth of a second at each start otherwise).
  const redis = config.rateLimit.redisUrl
    ? new (await import('ioredis')).Redis(config.rateLimit.redisUrl, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
      })
    : undefined;
  await redis?.connect();
  const { countWindowMs, countMemoryEntries } = config.downloads;
  const downloads = createDownloadRecorder({
    db,
    flushIntervalMs: config.downloads.flushIntervalMs,
    onError: (error) => app?.log.error({ err: error }, 'writing download counts failed; will retry'),
    dedup:
      countWindowMs > 0
        ? createDownloadDedup({ windowMs: countWindowMs, maxEntries: countMemoryEntries, redis, redisPrefix: config.rateLimit.redisPrefix })
        : undefined,
  });
  const now = options.now ?? (() => new Date());
  const deps: AppDeps = {
    config,
    db,
    store,
    downloads,
    secret: loadSecret(config),
    passwords,
    now,
    documents: createDocumentCache({ maxEntries: 10_000 }),
    warming: { active: false, served: 0 },
    advisories: createAdvisoryCache({ maxEntries: ADVISORY_CACHE_ENTRIES }),
    loginThrottle: loginThrottleFor(config.rateLimit, {
      redis,
      now,
      onError: (error) => app?.log.warn({ err: error }, 'login throttle store failed; attempt let through'),
    }),
    tokenUsage: createTokenUsage({
      db: db.kysely,
      intervalMs: config.downloads.flushIntervalMs,
      onError: (error) => app?.log.error({ err: error }, "writing API tokens' last use failed; will retry"),
    }),
    // Redis when there is one (shared by every instance), else the database: unlike memory it
    // survives a restart and is shared by every instance on it. Neither holds anything to close.
    actionLimits: createActionLimits({
      rules: config.actionLimits,
      store: redis ? redisBucketStore(redis, config.rateLimit.redisPrefix) : databaseBucketStore(db),
      now,
      onError: (error) => app?.log.warn({ err: error }, 'per-action limit store failed; action let through'),
      onRefused: (action) => metrics.rateLimited(action),
    }),
    jobs: createJobRunner({
      db,
      now,
      handlers: { ...registryJobHandlers({ config, db, now }), ...options.jobHandlers },
      workerId: workerId(),
      concurrency: config.jobs.concurrency,
      pollMs: config.jobs.pollMs,
      leaseMs: config.jobs.leaseMs,
      yieldMs: config.jobs.yieldMs,
      onError: (error) => app?.log.error({ err: error }, 'job queue: running or recording a job failed'),
    }),
    metrics,
    readmes: createReadmeRenderPool({
      threads: config.readme.renderThreads,
      maxQueue: config.readme.renderQueue,
      timeoutMs: config.readme.renderTimeoutMs,
      onError: (error) => app?.log.error({ err: error }, 'rendering a README on a worker thread failed; kept as plain text'),
    }),
    secretScan:
      config.limits.scanSecrets && config.limits.scanThread
        ? createSecretScanThread({
            onError: (error) => app?.log.error({ err: error }, 'the secret scan thread failed; its scans were refused'),
          })
        : null,
    upstream: config.upstream.url
      ? createPullThrough({
          db: db.kysely,
          store,
          upstream: { ...config.upstream, url: config.upstream.url },
          maxTarballBytes: config.limits.maxTarballBytes,
          now,
        })
      : null,
  };
  registerInternals(metrics, {
    downloads,
    blobCache: store.cacheStats,
    pool: () => db.poolStats(),
    pings: { database: () => db.ping(), storage: () => store.ping() },
  });
  // The durable queue's depth and lag, read at each scrape (bounded counts: see queueStats).
  metrics.addCollector(async () => {
    const stats = await queueStats(db, now());
    for (const state of ['queued', 'running', 'dead'] as const) metrics.jobQueue.set(state, stats[state]);
    metrics.jobQueue.setOldestAgeSeconds((stats.oldestQueuedAgeMs ?? 0) / 1000);
  });
  app = await buildApp(deps, { redis, redisPrefix: config.rateLimit.redisPrefix, logStream: options.logStream });
  const built = app;
  const popularity = startPopularityRefresher({
    db: db.kysely,
    dialect: db.dialect,
    now: deps.now,
    intervalMs: config.downloads.popularityRefreshMs,
    onError: (error) => built.log.error({ err: error }, 'refreshing download popularity failed; will retry'),
    ...(options.timer ? { timer: options.timer } : {}),
  });
  const fleet = createFleetReporter({
    db,
    metrics,
    now,
    instance: { id: config.fleet.instanceId ?? workerId(), version: REGISTRY_VERSION, startedAt: now().toISOString() },
    intervalMs: config.fleet.reportIntervalMs,
    retentionDays: config.fleet.retentionDays,
    onError: (error) => built.log.warn({ err: error }, 'writing the fleet report failed; its counts go with the next one'),
    ...(options.fleetTimer ? { timer: options.fleetTimer } : {}),
  });
  // At once, so the dashboard lists this instance from its start.
  if (config.fleet.reportIntervalMs > 0)
    await fleet.report().catch((error: unknown) => built.log.warn({ err: error }, 'writing the first fleet report failed'));
  if (config.jobs.enabled) deps.jobs.start();
  const warming = warmAdvisories({
    db: db.kysely,
    cache: deps.advisories,
    maxEntries: ADVISORY_CACHE_ENTRIES,
    onError: (error) => built.log.warn({ err: error }, 'compiling advisories ahead of the first query failed; they compile when asked for'),
  });
  // Before listening: the first requests after a restart then find the hottest documents built.
  const warmed = await warmPackageDocuments(deps, { limit: WARM_DOCUMENTS, budgetMs: WARM_BUDGET_MS }).catch((error: unknown) => {
    built.log.warn({ err: error }, 'building package documents ahead of the first requests failed; they are built when asked for');
    return [];
  });
  await warmUp(built, deps, warmed);
  const { metricsPort, metricsHost, metricsToken } = config.observability;
  const metricsServer =
    metrics.enabled && metricsPort !== undefined
      ? await startMetricsServer({ host: metricsHost, port: metricsPort, token: metricsToken, metrics })
      : undefined;
  let listening: Listening | undefined;
  return {
    app: built,
    deps,
    popularity,
    metricsServer,
    fleet,
    advisoriesWarmed: warming.done,
    listen: async () => {
      listening = await listen(built, config.server);
      return listening.address;
    },
    close: async () => {
      warming.stop();
      await metricsServer?.close();
      // close() drops idle keep-alive connections once, at its start; one whose response was still
      // finishing then would hold shutdown for the whole keep-alive timeout, so sweep until done.
      const sweep = setInterval(() => built.server.closeIdleConnections(), 50);
      try {
        listening?.extra?.stopAccepting();
        await built.close();
        // The extra sockets' connections are the HTTP server's too, but its close waits only for its own.
        await listening?.extra?.drained();
      } finally {
        clearInterval(sweep);
      }
      await downloads.close();
      await deps.tokenUsage.close();
      // After the last request ended, so its counts are in the last report.
      await fleet.stop();
      await popularity.stop();
      // Jobs in flight finish (each has its own timeout) and record their outcomes before the pool closes.
      await deps.jobs.stop();
      await deps.readmes.close();
      await deps.secretScan?.close();
      await warming.done;
      await db.close();
      await redis?.quit();
    },
  };
}

/** GETs of the warmed documents served to itself before listening (warm-requests.ts); a failure only logs. */
async function warmUp(app: FastifyInstance, deps: AppDeps, warmed: WarmedPackage[]): Promise<void> {
  const count = deps.config.server.warmRequests;
  if (count === 0 || warmed.length === 0) return;
  const started = performance.now();
  try {
    const paths = await warmPaths(deps, warmed);
    const answered = await warmRequests(app, { paths, count, budgetMs: WARM_REQUESTS_BUDGET_MS, warming: deps.warming });
    app.log.info({ requests: answered, ms: Math.round(performance.now() - started) }, 'served warm-up requests to itself');
  } catch (error) {
    app.log.warn({ err: error }, 'the warm-up requests failed; the first requests warm the code instead');
  }
}

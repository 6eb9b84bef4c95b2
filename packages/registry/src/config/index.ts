/**
 * The registry's configuration, read from the environment by `loadConfig(env)` and nowhere else.
 * One section per concern; every wrong value is reported at once, and production refuses unsafe defaults.
 *
 * @example
 * const config = loadConfig(process.env); // throws ConfigError listing each problem
 */
import { ConfigError, envReader } from './config-error.ts';
import { readServer, type ServerConfig } from './server.ts';
import { readDatabase, type DatabaseConfig } from './database.ts';
import { readStorage, type StorageConfig } from './storage.ts';
import { readAuth, type AuthConfig } from './auth.ts';
import { readLimits, type LimitsConfig } from './limits.ts';
import { readRateLimit, type RateLimitConfig } from './rate-limit.ts';
import { readDownloads, type DownloadsConfig } from './downloads.ts';
import { readActionLimits, type ActionLimitsConfig, type ActionRule } from './action-limits.ts';
import { readSearch, type SearchConfig } from './search.ts';
import { readDeletion, type DeletionConfig } from './deletion.ts';
import { readWebhooks, type WebhooksConfig } from './webhooks.ts';
import { readJobs, type JobsConfig } from './jobs.ts';
import { readReadme, type ReadmeConfig } from './readme.ts';
import { readObservability, type ObservabilityConfig } from './observability.ts';
import { readFleet, type FleetConfig } from './fleet.ts';
import { readUpstream, type UpstreamConfig } from './upstream.ts';

export type RegistryEnv = 'development' | 'test' | 'production';

export interface Config {
  env: RegistryEnv;
  server: ServerConfig;
  database: DatabaseConfig;
  storage: StorageConfig;
  auth: AuthConfig;
  limits: LimitsConfig;
  rateLimit: RateLimitConfig;
  downloads: DownloadsConfig;
  /** Per-action token buckets: new packages, new versions, yanks, invitations. */
  actionLimits: ActionLimitsConfig;
  search: SearchConfig;
  /** When owners may still delete a version. */
  deletion: DeletionConfig;
  /** Where webhooks may go, and a receiver's time budget. */
  webhooks: WebhooksConfig;
  /** The durable job queue's runner on this instance. */
  jobs: JobsConfig;
  /** Metrics, request logs, slow-request warnings. */
  observability: ObservabilityConfig;
  /** This instance's reports to the fleet tables, for the admin dashboard. */
  fleet: FleetConfig;
  /** README rendering threads at publish. */
  readme: ReadmeConfig;
  /** Pull-through from an upstream registry; full-mirror mode (read-only). */
  upstream: UpstreamConfig;
}

export { ConfigError };
export type {
  ServerConfig,
  DatabaseConfig,
  StorageConfig,
  AuthConfig,
  LimitsConfig,
  RateLimitConfig,
  DownloadsConfig,
  ActionLimitsConfig,
  ActionRule,
  SearchConfig,
  DeletionConfig,
  WebhooksConfig,
  JobsConfig,
  ObservabilityConfig,
  FleetConfig,
  ReadmeConfig,
  UpstreamConfig,
};

const ENVS = ['development', 'test', 'production'] as const;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const r = envReader(env);
  const fallbackEnv = (ENVS as readonly string[]).includes(env.NODE_ENV ?? '') ? (env.NODE_ENV as RegistryEnv) : 'development';
  const mode = r.oneOf('REGISTRY_ENV', ENVS, fallbackEnv);
  const server = readServer(r, mode);
  const config: Config = {
    env: mode,
    server,
    database: readDatabase(r, mode, server.dataDir),
    storage: readStorage(r, server.dataDir),
    auth: readAuth(r, mode),
    limits: readLimits(r),
    rateLimit: readRateLimit(r, mode),
    downloads: readDownloads(r, mode),
    actionLimits: readActionLimits(r, mode),
    search: readSearch(r),
    deletion: readDeletion(r),
    webhooks: readWebhooks(r),
    jobs: readJobs(r, mode),
    observability: readObservability(r, mode),
    fleet: readFleet(r),
    readme: readReadme(r),
    upstream: readUpstream(r),
  };
  // A job held past its lease may be started again elsewhere: a delivery must end well within it.
  if (config.jobs.leaseMs < 2 * config.webhooks.timeoutMs) {
    r.problems.push(
      `REGISTRY_JOBS_LEASE_MS=${config.jobs.leaseMs} must be at least twice REGISTRY_WEBHOOK_TIMEOUT_MS (${config.webhooks.timeoutMs}), or a slow delivery could be made twice`,
    );
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

import type { Config } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { CachedBlobStore } from '../storage/index.ts';
import type { DownloadRecorder } from '../registry/download-recorder.ts';
import type { DocumentCache } from './document-cache.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { TokenUsage } from '../registry/token-usage.ts';
import type { ActionLimits } from '../registry/action-limits.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { AdvisoryCache } from '../advisories/compiled.ts';
import type { ReadmeRenderer } from '../registry/readme-render-pool.ts';
import type { PullThrough } from '../mirror/pull-through.ts';
import type { SecretScanThread } from '../tarball/secret-scan-thread.ts';
import type { Warming } from './warm-requests.ts';

/** Everything a route may use, passed explicitly (never pulled off the request). */
export interface AppDeps {
  config: Config;
  db: RegistryDatabase;
  store: CachedBlobStore;
  downloads: DownloadRecorder;
  /** The JWT signing key. */
  secret: Uint8Array;
  now: () => Date;
  /** Rendered package documents, checked against their row on every request. */
  documents: DocumentCache;
  /** Set while the registry serves its warm-up requests before listening (warm-requests.ts): not limited, counted or logged. */
  warming: Warming;
  /** Password hashing at config.auth.passwordHashCost. */
  passwords: PasswordHasher;
  /** Failed-login limits (a no-op when rate limits are off). */
  loginThrottle: LoginThrottle;
  /** API tokens' last use, buffered and written on a timer (authenticating never writes). */
  tokenUsage: TokenUsage;
  /** Per-action limits (new packages, new versions, yanks, invitations): a burst, then a steady rate. */
  actionLimits: ActionLimits;
  /**
   * The durable job queue's runner (polling unless REGISTRY_JOBS_ENABLED=false). Enqueue with
   * packages/registry/src/jobs/enqueue.ts inside the transaction of the change; call `wake()` after it commits.
   */
  jobs: JobRunner;
  /** This registry's metrics (a no-op set when REGISTRY_METRICS_ENABLED=false). */
  metrics: Metrics;
  /** Advisories compiled for matching, checked against their revision on every lookup. */
  advisories: AdvisoryCache;
  /** Publish renders READMEs here, on worker threads (REGISTRY_README_RENDER_*). */
  readmes: ReadmeRenderer;
  /** Publish scans tarballs for secrets on this worker thread (null: inline, REGISTRY_SECRET_SCAN_THREAD=false). */
  secretScan: SecretScanThread | null;
  /** Pull-through from REGISTRY_UPSTREAM_URL, or null when this registry has no upstream. */
  upstream: PullThrough | null;
}

import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export interface JobsConfig {
  /** False: this instance never runs jobs (another does); it still enqueues them. */
  enabled: boolean;
  /** How often the runner looks for due jobs when nothing woke it. */
  pollMs: number;
  /** Jobs this instance runs at once. */
  concurrency: number;
  /** How long a claimed job is held before another instance may take it over (its instance died). */
  leaseMs: number;
  /** While a write request is in flight, background polls take only jobs overdue by this much (0: never wait). */
  yieldMs: number;
}

export function readJobs(r: EnvReader, mode: RegistryEnv): JobsConfig {
  return {
    enabled: r.bool('REGISTRY_JOBS_ENABLED', true),
    pollMs: r.int('REGISTRY_JOBS_POLL_MS', mode === 'test' ? 50 : 1_000, { min: 10, max: 3_600_000 }),
    concurrency: r.int('REGISTRY_JOBS_CONCURRENCY', 16, { min: 1, max: 1_000 }),
    leaseMs: r.int('REGISTRY_JOBS_LEASE_MS', 300_000, { min: 500, max: 86_400_000 }),
    yieldMs: r.int('REGISTRY_JOBS_YIELD_MS', 30_000, { min: 0, max: 3_600_000 }),
  };
}

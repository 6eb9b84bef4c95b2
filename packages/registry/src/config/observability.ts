import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';
import { estimatedSecretBits, SECRET_HINT } from './secret-strength.ts';

export interface ObservabilityConfig {
  /** Off: no metrics are kept and /metrics is absent (for measuring their cost). */
  metricsEnabled: boolean;
  /** A bearer token that /metrics on the main port requires. */
  metricsToken: string | undefined;
  /** A separate listener for /metrics only (no token needed unless one is set), e.g. on a private interface. */
  metricsPort: number | undefined;
  metricsHost: string;
  /**
   * Whether the main port serves /metrics: with a token; or, outside production, when no separate port
   * is set. In production without a token it is absent (404), so metrics are never public by default.
   */
  metricsOnMainPort: boolean;
  /** Requests slower than this are logged at warn; 0 turns that off. */
  slowRequestMs: number;
  /**
   * Split a slow request's time into database, storage and the rest. `auto`: on where
   * AsyncLocalStorage is cheap (Node 24 and later, where it no longer installs promise hooks).
   */
  slowRequestSplit: 'auto' | 'on' | 'off';
  /** `pretty`: one readable line per request; `json`: pino's JSON lines; `auto`: pretty in development on a terminal. */
  logFormat: 'auto' | 'pretty' | 'json';
}

const MIN_TOKEN_BITS = 96;

export function readObservability(r: EnvReader, mode: RegistryEnv): ObservabilityConfig {
  const metricsToken = r.optional('REGISTRY_METRICS_TOKEN');
  if (metricsToken !== undefined && estimatedSecretBits(metricsToken) < MIN_TOKEN_BITS) {
    r.problems.push(`REGISTRY_METRICS_TOKEN is too weak (under ${MIN_TOKEN_BITS} bits estimated); ${SECRET_HINT}`);
  }
  const rawPort = r.optional('REGISTRY_METRICS_PORT');
  const metricsPort = rawPort === undefined ? undefined : r.int('REGISTRY_METRICS_PORT', 0, { min: 0, max: 65535 });
  return {
    metricsEnabled: r.bool('REGISTRY_METRICS_ENABLED', true),
    metricsToken,
    metricsPort,
    metricsHost: r.string('REGISTRY_METRICS_HOST', '127.0.0.1'),
    metricsOnMainPort: metricsToken !== undefined || (mode !== 'production' && metricsPort === undefined),
    slowRequestMs: r.int('REGISTRY_SLOW_REQUEST_MS', 1_000, { min: 0 }),
    slowRequestSplit: r.oneOf('REGISTRY_SLOW_REQUEST_SPLIT', ['auto', 'on', 'off'] as const, 'auto'),
    logFormat: r.oneOf('REGISTRY_LOG_FORMAT', ['auto', 'pretty', 'json'] as const, 'auto'),
  };
}

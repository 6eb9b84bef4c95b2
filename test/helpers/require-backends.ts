/**
 * Whether the production backends (PostgreSQL, Redis, s3rver) can be reached, so a suite that needs
 * them skips with the reason on a machine without them, and fails instead when
 * REGISTRY_REQUIRE_BACKENDS=1 (CI) says a skip is not acceptable.
 */
import { checkBackends } from '../../scripts/check-backends.mjs';

export type BackendsCheck = { ok: true } | { ok: false; reason: string };

/** Probes PostgreSQL, Redis and s3rver with the test runner's probe (timeouts and retries there). */
export async function backendsAvailable(): Promise<BackendsCheck> {
  const reason = (await checkBackends()).missing('postgres-s3');
  return reason === null ? { ok: true } : { ok: false, reason };
}

/**
 * The `skip` option for a suite that needs every backend: false when they answer, the reason when
 * not. Throws instead of skipping when REGISTRY_REQUIRE_BACKENDS=1.
 *
 * @example
 * const skip = await skipWithoutBackends();
 * describe('several instances', { skip }, () => { ... });
 */
export async function skipWithoutBackends(): Promise<string | false> {
  const check = await backendsAvailable();
  if (check.ok) return false;
  if (process.env.REGISTRY_REQUIRE_BACKENDS === '1') {
    throw new Error(`REGISTRY_REQUIRE_BACKENDS=1 but the production backends are missing: ${check.reason}`);
  }
  return `production backends missing: ${check.reason}`;
}

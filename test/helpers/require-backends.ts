/**
 * Whether the production backends (PostgreSQL, Redis, s3rver) can be reached, so a suite that needs
 * them skips with the reason on a machine without them, and fails instead when
 * REGISTRY_REQUIRE_BACKENDS=1 (CI) says a skip is not acceptable.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import { PG_ADMIN_URL, REDIS_URL } from './backends.ts';

export type BackendsCheck = { ok: true } | { ok: false; reason: string };

async function failure(probe: () => Promise<void>): Promise<string | null> {
  try {
    await probe();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  }
}

/** Probes PostgreSQL, Redis and s3rver once each, with short timeouts. */
export async function backendsAvailable(): Promise<BackendsCheck> {
  const [postgres, redis, s3rver] = await Promise.all([
    failure(async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2_000 });
      await client.connect();
      try {
        await client.query('SELECT 1');
      } finally {
        await client.end();
      }
    }),
    failure(async () => {
      const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    }),
    failure(async () => {
      await import('s3rver');
    }),
  ]);
  const reasons = [
    postgres && `PostgreSQL at ${PG_ADMIN_URL} is not reachable (${postgres})`,
    redis && `Redis at ${REDIS_URL} is not reachable (${redis})`,
    s3rver && `s3rver cannot be loaded (${s3rver})`,
  ].filter((r): r is string => typeof r === 'string');
  return reasons.length === 0 ? { ok: true } : { ok: false, reason: reasons.join('; ') };
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

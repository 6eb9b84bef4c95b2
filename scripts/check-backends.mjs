// Which production backends this machine can reach, and if not, why: PostgreSQL and Redis at the
// URLs the tests use, and s3rver (an npm package started by the tests themselves). One probe for the
// test runner and for the suites that need the backends (test/helpers/require-backends.ts).
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';

const PG_URL = process.env.REGISTRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REGISTRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// A loaded machine (a full test run beside other work) once took over 2 s to answer a running
// PostgreSQL; a wrong "not reachable" skips whole suites, so wait longer and ask again.
const TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;
const RETRY_GAP_MS = 500;

async function reason(probe) {
  try {
    await probe();
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message || error.constructor.name : String(error);
    return { message, refused: error?.code === 'ECONNREFUSED' };
  }
}

/** Null when the probe succeeds within ATTEMPTS tries; a refused connection is not retried (nothing listens). */
async function withRetries(probe) {
  let last = null;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    last = await reason(probe);
    if (last === null) return null;
    if (last.refused) return last.message;
    if (attempt < ATTEMPTS) await delay(RETRY_GAP_MS * attempt);
  }
  return `${last.message}; ${ATTEMPTS} attempts`;
}

const probePostgres = async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
};

const probeRedis = async () => {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed."; the cause (ECONNREFUSED…) comes as an event.
  let cause = null;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    client.disconnect();
  }
};

export async function checkBackends() {
  const [postgres, redis, s3rver] = await Promise.all([
    withRetries(probePostgres),
    withRetries(probeRedis),
    reason(async () => {
      await import('s3rver');
    }).then((r) => r?.message ?? null),
  ]);
  return {
    postgres,
    redis,
    s3rver,
    /** Why a backend suite cannot run, or null when it can. */
    missing(backend) {
      const why = [];
      if (postgres) why.push(`PostgreSQL at ${PG_URL} is not reachable (${postgres})`);
      if (backend === 'postgres-s3' && redis) why.push(`Redis at ${REDIS_URL} is not reachable (${redis})`);
      if (backend === 'postgres-s3' && s3rver) why.push(`s3rver cannot be loaded (${s3rver})`);
      return why.length > 0 ? why.join('; ') : null;
    },
  };
}

// Which production backends this machine can reach, and if not, why: PostgreSQL and Redis at the
// URLs the tests use, and s3rver (an npm package started by the tests themselves).
import pg from 'pg';
import { Redis } from 'ioredis';

const PG_URL = process.env.REGISTRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REGISTRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reason(probe) {
  try {
    await probe();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.constructor.name : String(error);
  }
}

export async function checkBackends() {
  const postgres = await reason(async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query('SELECT 1');
    } finally {
      await client.end();
    }
  });
  const redis = await reason(async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
  const s3rver = await reason(async () => {
    await import('s3rver');
  });
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

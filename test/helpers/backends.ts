/**
 * The backends an API test registry runs on, chosen by REGISTRY_TEST_BACKEND (set by the test
 * runner): `sqlite` (default: a SQLite file and a local folder), `postgres` (a fresh PostgreSQL
 * database per registry, dropped afterwards) or `postgres-s3` (PostgreSQL, an s3rver bucket per
 * registry, and Redis for the rate-limit counters under a key prefix of its own).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../packages/registry/src/db/database.ts';

export type TestBackend = 'sqlite' | 'postgres' | 'postgres-s3';

export const testBackend = (): TestBackend => (process.env.REGISTRY_TEST_BACKEND as TestBackend | undefined) ?? 'sqlite';

export const PG_ADMIN_URL = process.env.REGISTRY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REGISTRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BackendEnv {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

const databaseUrl = (name: string) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * A fresh PostgreSQL database; dropped (connections and all) by cleanup. Empty, or with `migrated`
 * a copy of a template the migrations ran on once (see migratedTemplate): a registry's start then
 * finds every migration applied instead of running them all again, about 0.3 s per registry.
 */
export async function freshPostgres(options: { migrated?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `synapse_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated ? ` TEMPLATE ${await migratedTemplate()}` : '';
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

const MIGRATIONS = new URL('../../packages/registry/src/db/migrations/', import.meta.url);
/** Any fixed number: the advisory lock test processes take to build the template one at a time. */
const TEMPLATE_LOCK = 731_560_027;
let template: Promise<string> | undefined;

/**
 * The name of a database holding exactly what the migrations make, built once per set of migration
 * sources (their hash is in its name, so a changed migration gets a new template) by whichever test
 * process asks first, under an advisory lock; the others wait and use it. Built under another name
 * and renamed when complete, so a process killed halfway leaves no template that looks finished.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = createHash('sha256');
    for (const file of (await readdir(MIGRATIONS)).sort()) hash.update(file).update(await readFile(new URL(file, MIGRATIONS)));
    const name = `synapse_template_${hash.digest('hex').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = await openDatabase({ kind: 'postgres', url: databaseUrl(building), poolSize: 1 });
        await db.close();
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        // Templates of earlier migrations are of no more use; one still being copied stays (55006).
        const stale = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'synapse\\_template\\_%' AND datname <> $1", [
          name,
        ]);
        for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
      }
    } finally {
      await admin.end();
    }
    return name;
  })();
  return template;
}

interface S3rverHandle {
  endpoint: string;
  close(): Promise<void>;
}

let s3rver: Promise<S3rverHandle> | null = null;

/** One s3rver per test process, on a free loopback port, stopped when the process exits. */
export function sharedS3rver(): Promise<S3rverHandle> {
  s3rver ??= (async () => {
    const { default: S3rver } = await import('s3rver');
    const directory = await mkdtemp(join(tmpdir(), 'synapse-s3rver-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      close: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  })();
  return s3rver;
}

/** Stops the shared s3rver, if one was started; call from a top-level `after`. */
export async function stopSharedS3rver(): Promise<void> {
  if (!s3rver) return;
  const handle = await s3rver;
  s3rver = null;
  await handle.close();
}

export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function freshBucket(endpoint: string): Promise<string> {
  const bucket = `synapse-test-${randomBytes(6).toString('hex')}`;
  // The SDK only where S3 is used: a SQLite test process does not load it.
  const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

/** Env vars (and cleanup) for a registry on the chosen backend. */
export async function backendEnv(backend: TestBackend = testBackend()): Promise<BackendEnv> {
  if (backend === 'sqlite') return { env: {}, cleanup: async () => {} };
  const database = await freshPostgres({ migrated: true });
  const env: Record<string, string> = { REGISTRY_DB_URL: database.url, REGISTRY_DB_POOL_SIZE: '5' };
  if (backend === 'postgres-s3') {
    const s3 = await sharedS3rver();
    Object.assign(env, {
      REGISTRY_STORAGE_TYPE: 's3',
      REGISTRY_S3_BUCKET: await freshBucket(s3.endpoint),
      REGISTRY_S3_ENDPOINT: s3.endpoint,
      REGISTRY_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      REGISTRY_REDIS_URL: REDIS_URL,
      REGISTRY_REDIS_PREFIX: `synapse-test:${randomBytes(6).toString('hex')}:`,
    });
  }
  const prefix = env.REGISTRY_REDIS_PREFIX;
  return {
    env,
    cleanup: async () => {
      await database.drop();
      if (prefix) await deleteRedisPrefix(REDIS_URL, prefix);
    },
  };
}

/** Deletes every Redis key under a prefix (a test's rate-limit counters). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

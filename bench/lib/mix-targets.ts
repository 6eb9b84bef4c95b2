/**
 * The targets of `bench/mix.ts`, each started fresh and filled with the same corpus:
 *
 *   sqlite       ours as `npm start` runs it: SQLite file + local folder
 *   postgres-s3  ours on PostgreSQL + S3 (s3rver) + Redis
 *   verdaccio    Verdaccio 6 on its own storage, through the npm API
 *
 * Ours runs in production mode with rate limiting on, every limit too high to refuse anything.
 */
import { randomBytes } from 'node:crypto';
import type { Dialect } from './mix-plan.ts';
import { npmPopulate } from './npm-populate.ts';
import { benchToken, populate } from './populate.ts';
import { PRODUCTION_LIKE } from './production-like.ts';
import { startRegistry } from './registry-process.ts';
import { createDatabase, redisPrefix, s3AndRedisEnv, startS3rver, type Disposable } from './services.ts';
import { npmToken, startVerdaccio } from './verdaccio.ts';

export const TARGET_IDS = ['sqlite', 'postgres-s3', 'verdaccio'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export const TITLES: Record<TargetId, string> = {
  sqlite: 'ours, SQLite + local folder',
  'postgres-s3': 'ours, PostgreSQL + S3 + Redis',
  verdaccio: 'Verdaccio',
};

export interface TargetSetup {
  root: string;
  packages: number;
  versions: number;
  publishers: number;
  pgUrl: string;
  redisUrl: string;
  verdaccioBin?: string;
  /** Everything started is registered here at once, so a watchdog can stop it. */
  track: (item: Disposable) => void;
}

export interface Target {
  id: TargetId;
  title: string;
  origin: string;
  dialect: Dialect;
  token: string;
  pid: number;
  /** How the corpus went in, for the report. */
  populated: string;
}

const fmt = (seconds: number) => `${seconds.toFixed(1)} s`;

async function startOurs(id: TargetId, setup: TargetSetup): Promise<Target> {
  const env: Record<string, string> = {
    ...PRODUCTION_LIKE,
    REGISTRY_ENV: 'production',
    REGISTRY_SECRET_KEY: randomBytes(32).toString('hex'),
    // Required in production; the load builds its own URLs and never follows tarball links.
    REGISTRY_PUBLIC_URL: 'http://registry.bench',
  };
  if (id === 'postgres-s3') {
    const database = await createDatabase(setup.pgUrl);
    setup.track(database);
    const s3 = await startS3rver(setup.root);
    setup.track(s3);
    const redis = redisPrefix(setup.redisUrl);
    setup.track(redis);
    Object.assign(env, { REGISTRY_DB_URL: database.url, ...s3AndRedisEnv(s3, setup.redisUrl, redis.prefix) });
  }
  const registry = await startRegistry({ root: setup.root, env });
  setup.track({ dispose: () => registry.stop(5_000) });
  const api = `${registry.origin}/api/v1`;
  const token = await benchToken(api);
  const published = await populate({ api, token, packages: setup.packages, versions: setup.versions, publishers: setup.publishers });
  if (published.failures > 0) throw new Error(`${id}: populate failed: ${published.failureSamples.join('; ')}`);
  const populated = `${published.publishes} publishes in ${fmt(published.totalSeconds)} (p99 ${published.p99Ms.toFixed(0)} ms)`;
  return { id, title: TITLES[id], origin: registry.origin, dialect: 'synapse', token, pid: registry.pid, populated };
}

async function startNpmPeer(setup: TargetSetup): Promise<Target> {
  if (setup.verdaccioBin === undefined) throw new Error('no --verdaccio-bin');
  const verdaccio = await startVerdaccio(setup.verdaccioBin);
  setup.track({ dispose: () => verdaccio.stop() });
  const token = await npmToken(verdaccio.origin);
  const published = await npmPopulate({
    origin: verdaccio.origin,
    token,
    packages: setup.packages,
    versions: setup.versions,
    publishers: setup.publishers,
  });
  const populated = `${published.publishes} publishes in ${fmt(published.totalSeconds)}, ${published.retries} retried after an error`;
  return { id: 'verdaccio', title: TITLES.verdaccio, origin: verdaccio.origin, dialect: 'npm', token, pid: verdaccio.pid, populated };
}

export function startTarget(id: TargetId, setup: TargetSetup): Promise<Target> {
  return id === 'verdaccio' ? startNpmPeer(setup) : startOurs(id, setup);
}

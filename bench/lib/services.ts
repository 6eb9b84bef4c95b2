/**
 * The production backends for one benchmark configuration, each created fresh and removed after:
 * a PostgreSQL database, an s3rver bucket in a child process, and a Redis key prefix.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deleteRedisPrefix } from '../../test/helpers/backends.ts';
import { stopProcess } from './stop-process.ts';

export interface Disposable {
  /** Removes what was created; safe to call twice. */
  dispose(): Promise<void>;
}

const suffix = () => `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/** Creates `synapse_bench_<random>` through the admin URL; dispose drops it WITH (FORCE). */
export async function createDatabase(adminUrl: string): Promise<Disposable & { url: string; name: string }> {
  const name = `synapse_bench_${suffix()}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    dispose: async () => {
      if (dropped) return;
      dropped = true;
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export interface S3Store extends Disposable {
  endpoint: string;
  bucket: string;
  pid: number;
}

/** Starts s3rver in a child process on a free loopback port, with a temporary folder and one bucket. */
export async function startS3rver(root: string, timeoutMs = 30_000): Promise<S3Store> {
  const directory = await mkdtemp(join(tmpdir(), 'synapse-bench-s3-'));
  const bucket = `synapse-bench-${randomBytes(6).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/s3rver-main.ts', directory, bucket], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  // Resolves on exit, and on a spawn error (no exit follows one), so dispose never waits forever.
  const exit = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', (error) => {
      stderr += String(error);
      done();
    });
  });
  const pid = child.pid;
  const dispose = async () => {
    await stopProcess(pid, { exited: () => exited, exit });
    await rm(directory, { recursive: true, force: true });
  };
  try {
    if (pid === undefined) throw new Error('could not spawn s3rver');
    let stdout = '';
    const firstLine = new Promise<string | undefined>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const end = stdout.indexOf('\n');
        if (end >= 0) resolve(stdout.slice(0, end));
      });
      // After the first line this is a no-op; before it, it reports an early exit.
      child.once('exit', () => resolve(undefined));
      child.once('error', () => resolve(undefined));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`s3rver did not start within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    });
    const line = await Promise.race([firstLine, timeout]).finally(() => clearTimeout(timer));
    if (line === undefined) throw new Error(`s3rver exited before it was ready:\n${stderr}`);
    const { port } = JSON.parse(line) as { port: number };
    return { endpoint: `http://127.0.0.1:${port}`, bucket, pid, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** A fresh Redis key prefix; dispose deletes every key under it. */
export function redisPrefix(redisUrl: string): Disposable & { prefix: string } {
  const prefix = `synapse-bench:${suffix()}:`;
  return {
    prefix,
    dispose: () => deleteRedisPrefix(redisUrl, prefix),
  };
}

/** The registry's variables for tarballs in this s3rver and counters in Redis under this prefix. */
export function s3AndRedisEnv(s3: S3Store, redisUrl: string, prefix: string): Record<string, string> {
  return {
    REGISTRY_STORAGE_TYPE: 's3',
    REGISTRY_S3_BUCKET: s3.bucket,
    REGISTRY_S3_ENDPOINT: s3.endpoint,
    REGISTRY_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    REGISTRY_REDIS_URL: redisUrl,
    REGISTRY_REDIS_PREFIX: prefix,
  };
}

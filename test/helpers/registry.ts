/**
 * Starts a real registry for a test on the backend the runner chose (see backends.ts): a SQLite file
 * and a blob folder in a fresh temp folder by default, or a fresh PostgreSQL database (+ an S3 bucket
 * and Redis), listening on a free loopback port. Requests go over real HTTP.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/registry/src/config/index.ts';
import { createRegistry, type Registry, type RegistryOptions } from '../../packages/registry/src/server/start.ts';
import { provideDocument } from './openapi-check.ts';
import { backendEnv, S3_CREDENTIALS, stopSharedS3rver, type BackendEnv } from './backends.ts';

export interface TestRegistry {
  url: string;
  api: string;
  dir: string;
  registry: Registry;
  /** The stored blobs (committed only, not staging): file paths locally, object keys on S3. */
  blobFiles(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Reuse this folder (and the database and bucket it was started with) instead of fresh ones. */
  dir?: string;
  /** Leave the folder, database and bucket in place on close(), e.g. to reopen them afterwards. */
  keepDir?: boolean;
  /**
   * Run on this database, bucket and Redis, shared with other registries (several instances of one
   * registry), instead of fresh ones; close() leaves them to whoever made them.
   */
  sharedBackend?: BackendEnv;
  /** The registry's clock (deps.now), for tests that move time on without sleeping. */
  now?: () => Date;
  /** Job handlers by kind, added to the registry's own (see packages/registry/src/jobs/handlers.ts). */
  jobHandlers?: RegistryOptions['jobHandlers'];
  /** The fleet reporter's timer, for tests that fire it by hand (see fleet-reporter.ts). */
  fleetTimer?: RegistryOptions['fleetTimer'];
  /** Receives the registry's log lines (set REGISTRY_LOG_LEVEL too: tests log nothing by default). */
  logStream?: { write(line: string): void };
}

/** Backends kept alive by `keepDir`, so a registry reopened on the same folder finds its data. */
const keptBackends = new Map<string, BackendEnv>();
/** Registries open in this test process; the shared s3rver stops when the last one closes. */
let open = 0;

export async function startRegistry(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestRegistry> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'synapse-registry-test-')));
  const backend = options.sharedBackend ?? keptBackends.get(dir) ?? (await backendEnv());
  keptBackends.delete(dir);
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_S3_STAGING_DIR: join(dir, 'packages', '.staging'),
    REGISTRY_DATA_DIR: dir,
    REGISTRY_DOWNLOAD_FLUSH_MS: '50',
    ...backend.env,
    ...env,
  });
  const registry = await createRegistry(config, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.jobHandlers ? { jobHandlers: options.jobHandlers } : {}),
    ...(options.fleetTimer ? { fleetTimer: options.fleetTimer } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  open += 1;
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const address = registry.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  provideDocument(url, registry.app.swagger());
  const storage = config.storage;
  return {
    url,
    api: `${url}/api/v1`,
    dir,
    registry,
    blobFiles: async () =>
      storage.type === 's3' ? listObjects(storage.endpoint!, storage.bucket) : listFiles(join(dir, 'packages', 'blobs')),
    close: async () => {
      await registry.close();
      open -= 1;
      if (options.keepDir) {
        keptBackends.set(dir, backend);
      } else {
        if (!options.sharedBackend) await backend.cleanup();
        await rm(dir, { recursive: true, force: true });
      }
      // Without this the open s3rver would keep the test process alive after its last test.
      if (open === 0 && keptBackends.size === 0) await stopSharedS3rver();
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function listObjects(endpoint: string, bucket: string): Promise<string[]> {
  const { ListObjectsV2Command, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_CREDENTIALS });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  } finally {
    client.destroy();
  }
}

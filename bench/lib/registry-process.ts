/**
 * The registry under test as a child process, as `npm start` runs it (`bin/registry.mjs`, the bundle
 * that `npm install` builds), on loopback, a free port, a fresh
 * temporary data folder (SQLite file + local blob folder), rate limits and logs off. `env` swaps in
 * other backends (PostgreSQL, S3, Redis) without changing the defaults.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RegistryProcess {
  /** Base URL without the `/api/v1` prefix. */
  origin: string;
  pid: number;
  /** Resident set size of the server now and its peak so far, in MB, from /proc/<pid>/status. */
  memory(): Promise<Memory>;
  /** SIGTERM by PID (SIGKILL after `graceMs`), then removes the data folder. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  /** The project root: where `bin/registry.mjs` is. */
  root: string;
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /** Variables set after the defaults, e.g. REGISTRY_DB_URL=postgres://… or REGISTRY_STORAGE_TYPE=s3. */
  env?: Record<string, string>;
  /** Use this data folder and keep it at stop (to restart on the same data); by default a fresh one is made and removed. */
  dataDir?: string;
}

/** A port the kernel just handed out for 127.0.0.1; free again by the time this resolves. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address for the probe socket');
  return address.port;
}

export interface Memory {
  rssMb: number;
  peakRssMb: number;
}

/** Reads VmRSS and VmHWM (the peak RSS) of a process, in MB. */
export async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const kb = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
    if (kb === undefined) throw new Error(`no ${name} for process ${pid}`);
    return Number(kb) / 1024;
  };
  return { rssMb: field('VmRSS'), peakRssMb: field('VmHWM') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let built = false;

/** A value of `{origin}` (REGISTRY_PUBLIC_URL, as production sets one) becomes the URL the registry listens on. */
export const ORIGIN = '{origin}';
const withOrigin = (env: Record<string, string>, origin: string) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === ORIGIN ? origin : v]));

/** Starts the registry and resolves once `/api/v1/health` answers 200. */
export async function startRegistry(options: StartOptions): Promise<RegistryProcess> {
  // Bundle the sources as they are now, so a benchmark never measures a stale dist/.
  if (!built) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: options.root, stdio: 'inherit' });
  built = true;
  const kept = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'synapse-bench-')));
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'bin/registry.mjs'], {
    cwd: options.root,
    env: {
      ...process.env,
      REGISTRY_ENV: 'development',
      REGISTRY_HOST: '127.0.0.1',
      REGISTRY_PORT: String(port),
      REGISTRY_DATA_DIR: dataDir,
      REGISTRY_DB_URL: `sqlite://${join(dataDir, 'registry.db')}`,
      REGISTRY_STORAGE_TYPE: 'local',
      REGISTRY_STORAGE_PATH: join(dataDir, 'packages'),
      REGISTRY_RATE_LIMIT_ENABLED: 'false',
      // The per-action limits too (100 new packages, then one a minute): the populate step publishes thousands.
      REGISTRY_LIMIT_NEW_PACKAGES_BURST: '0',
      REGISTRY_LIMIT_NEW_VERSIONS_BURST: '0',
      REGISTRY_LOG_LEVEL: 'fatal',
      ...withOrigin(options.env ?? {}, `http://127.0.0.1:${port}`),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    });
  });
  const pid = child.pid;
  const cleanup = async () => {
    if (exited === undefined && pid !== undefined) process.kill(pid, 'SIGKILL');
    if (!kept) await rm(dataDir, { recursive: true, force: true });
  };
  if (pid === undefined) {
    await cleanup();
    throw new Error('could not spawn the registry');
  }

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited !== undefined) {
      await cleanup();
      throw new Error(`the registry exited (${String(exited)}) before it was ready:\n${stderr}`);
    }
    const ok = await fetch(`${origin}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`the registry did not answer /api/v1/health within the timeout:\n${stderr}`);
    }
    await sleep(100);
  }

  return {
    origin,
    pid,
    memory: () => memoryOf(pid),
    stop: async (graceMs = 15_000) => {
      if (exited === undefined) {
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => {
          if (exited === undefined) process.kill(pid, 'SIGKILL');
        }, graceMs);
        await exit;
        clearTimeout(timer);
      }
      if (!kept) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

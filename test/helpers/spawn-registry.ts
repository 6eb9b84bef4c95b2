/**
 * Runs the registry as a real child process (`node bin/registry.mjs`, the bundle `npm start` and
 * `npm test` build first), the way `npm start` does, on a free loopback port. Production-path tests use it to kill, signal and restart
 * registries. Every process started here is killed at process exit if a test forgot it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A shared key, so a session from one instance is accepted by every other. */
export const TEST_SECRET_KEY = 'production-path-tests-secret-key-0123456789abcdef';

export interface SpawnedRegistry {
  url: string;
  api: string;
  pid: number;
  /** Everything the process wrote to stderr (and stdout), for assertion messages. */
  output(): string;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitResult>;
  /** SIGKILL, no grace; resolves on exit. */
  kill(): Promise<ExitResult>;
  /** Resolves when the process exits, whatever the cause. */
  exited: Promise<ExitResult>;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** REGISTRY_* variables; the defaults below make a quiet production-mode registry on port 0. */
  env: Record<string, string>;
  /** How long to wait for /health/live; the default covers a cold tsx start on a busy machine. */
  startTimeoutMs?: number;
  /** The folder whose bin/registry.mjs runs (a deploy's copy); this checkout by default. */
  cwd?: string;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Kills every registry this process started that is still running; for a top-level `after`. */
export async function killAllSpawned(): Promise<void> {
  const waits = [...live].map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(waits);
}

/**
 * Starts a registry and waits until GET /api/v1/health/live answers 200.
 *
 * @example
 * const registry = await spawnRegistry({ env: { REGISTRY_DB_URL: url } });
 * await registry.stop('SIGTERM');
 */
export async function spawnRegistry(options: SpawnOptions): Promise<SpawnedRegistry> {
  // The parent's REGISTRY_* settings must not leak into a registry a test configures itself.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_') && k !== 'NODE_ENV'));
  const env = {
    ...inherited,
    REGISTRY_ENV: 'production',
    REGISTRY_HOST: '127.0.0.1',
    REGISTRY_PORT: '0',
    REGISTRY_LOG_LEVEL: 'warn',
    REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
    // Required in production; these tests never follow a tarball link.
    REGISTRY_PUBLIC_URL: 'http://registry.test',
    REGISTRY_SHUTDOWN_GRACE_MS: '10000',
    // Every download counts, so a suite can download one version repeatedly from one address.
    REGISTRY_DOWNLOAD_COUNT_WINDOW_MS: '0',
    // Production's warm-up (5,000 requests to itself before listening) would add up to a second to
    // every restart with data; test/api/warm-requests.test.ts is where it is checked.
    REGISTRY_WARM_REQUESTS: '0',
    ...options.env,
  };
  const child = spawn(process.execPath, ['bin/registry.mjs'], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const address = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/ at (http:\/\/[^\s/]+)\/api\/v1/);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((r) => reject(new Error(`registry exited early (${r.code ?? r.signal}):\n${output}`)));
  });
  address.catch(() => undefined); // reported through the race below when it matters
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      address,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`registry did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      }),
    ]);
    const res = await fetch(`${url}/api/v1/health/live`);
    if (res.status !== 200) throw new Error(`/health/live answered ${res.status}:\n${output}`);
    const signal = (s: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(s);
      return exited;
    };
    return {
      url,
      api: `${url}/api/v1`,
      pid: child.pid!,
      output: () => output,
      stop: (s = 'SIGTERM') => signal(s),
      kill: () => signal('SIGKILL'),
      exited,
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

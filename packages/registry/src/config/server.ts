import { availableParallelism } from 'node:os';
import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export interface ServerConfig {
  host: string;
  port: number;
  /** Where the embedded defaults live: the SQLite file, blobs and the generated secret. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Base URL written into tarball links. Unset, links follow the request's Host: outside production,
   * or in production behind a trusted proxy (which sets X-Forwarded-Host itself).
   */
  publicUrl: string | undefined;
  /** Trust X-Forwarded-For from a load balancer in front (affects per-IP limits and logs). */
  trustProxy: boolean;
  /** How long SIGTERM waits for requests in flight before exiting. */
  shutdownGraceMs: number;
  /** Worker processes sharing the port (REGISTRY_WORKERS, a number or `auto`: one per core); 1: none. */
  workers: number;
  /**
   * Listening sockets on the port in one process (REGISTRY_ACCEPT_LISTENERS, SO_REUSEPORT; see
   * server/accept-listeners.ts): a burst of new connections is accepted this many a turn. `auto`:
   * DEFAULT_ACCEPT_LISTENERS where Node and the platform can, one elsewhere and under workers.
   */
  acceptListeners: number;
  /**
   * GETs of its hottest documents the registry serves itself before it listens, so the first
   * clients meet optimised code (server/warm-requests.ts); 0: none. Production: 20,000 (about 2 s on 2 cores;
   * 5,000 left more of the optimising compiler's work to the first second of traffic: bench/RESULTS.md run 29).
   */
  warmRequests: number;
  /**
   * Kept package and version documents answered before the framework (server/front-path.ts), where
   * it applies: a public URL set, no trusted proxy, rate-limit counters in this process, log level
   * info or quieter. REGISTRY_FRONT_PATH=false sends every request through the framework.
   */
  frontPath: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function readServer(r: EnvReader, mode: RegistryEnv): ServerConfig {
  const level = r.optional('REGISTRY_LOG_LEVEL')?.toLowerCase();
  const logLevel = level === undefined ? (mode === 'test' ? 'silent' : 'info') : level;
  if (!(LEVELS as readonly string[]).includes(logLevel)) {
    r.problems.push(`REGISTRY_LOG_LEVEL=${JSON.stringify(level)} must be one of ${LEVELS.join(', ')}`);
  }
  const publicUrl = r.optional('REGISTRY_PUBLIC_URL');
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    r.problems.push(`REGISTRY_PUBLIC_URL=${JSON.stringify(publicUrl)} must be an http(s) URL`);
  }
  const trustProxy = r.bool('REGISTRY_TRUST_PROXY', false);
  // Any client can send any Host; links built from it would point wherever that client says.
  if (mode === 'production' && publicUrl === undefined && !trustProxy) {
    r.problems.push(
      'REGISTRY_PUBLIC_URL is required in production (e.g. https://registry.example.com), so tarball links do not follow ' +
        "the client's Host header; or set REGISTRY_TRUST_PROXY=true behind a proxy that sets the Host",
    );
  }
  const workers = readWorkers(r);
  return {
    host: r.string('REGISTRY_HOST', '127.0.0.1'),
    port: r.int('REGISTRY_PORT', 8080, { min: 0, max: 65535 }),
    dataDir: r.string('REGISTRY_DATA_DIR', './data'),
    logLevel: (LEVELS as readonly string[]).includes(logLevel) ? (logLevel as ServerConfig['logLevel']) : 'info',
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    trustProxy,
    shutdownGraceMs: r.int('REGISTRY_SHUTDOWN_GRACE_MS', 10_000, { min: 0 }),
    workers,
    acceptListeners: readAcceptListeners(r, workers),
    warmRequests: r.int('REGISTRY_WARM_REQUESTS', mode === 'production' ? 20_000 : 0, { min: 0, max: 100_000 }),
    frontPath: r.bool('REGISTRY_FRONT_PATH', true),
  };
}

const MAX_WORKERS = 64;
/** bench/first-seconds.ts (RESULTS run 28): the first 0.1 s after a start p99 40–61 → 13–15 ms, nothing lost after. */
export const DEFAULT_ACCEPT_LISTENERS = 16;
const MAX_ACCEPT_LISTENERS = 64;

/** Whether this Node on this platform binds several sockets to one port (`reusePort`: Node 22.12, 23.1). */
export function reusePortSupported(version = process.versions.node, platform: string = process.platform): boolean {
  // Elsewhere (macOS, Windows) the kernel does not spread connections over the sockets, or Node refuses.
  if (platform !== 'linux' && platform !== 'freebsd') return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

function readAcceptListeners(r: EnvReader, workers: number): number {
  const raw = r.optional('REGISTRY_ACCEPT_LISTENERS')?.trim().toLowerCase();
  const supported = reusePortSupported();
  if (raw === undefined || raw === '' || raw === 'auto') return supported && workers === 1 ? DEFAULT_ACCEPT_LISTENERS : 1;
  const n = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_ACCEPT_LISTENERS)) {
    r.problems.push(`REGISTRY_ACCEPT_LISTENERS=${JSON.stringify(raw)} must be a whole number from 1 to ${MAX_ACCEPT_LISTENERS}, or auto`);
    return 1;
  }
  if (n > 1 && !supported) {
    r.problems.push(
      `REGISTRY_ACCEPT_LISTENERS=${n} needs SO_REUSEPORT from Node 22.12 on Linux or FreeBSD; this is Node ${process.versions.node} on ${process.platform}: set 1 or auto`,
    );
    return 1;
  }
  if (n > 1 && workers > 1) {
    r.problems.push(
      `REGISTRY_ACCEPT_LISTENERS=${n} cannot go with REGISTRY_WORKERS=${workers}: workers take their connections from the primary; set 1 or auto`,
    );
    return 1;
  }
  return n;
}

function readWorkers(r: EnvReader): number {
  const raw = r.optional('REGISTRY_WORKERS')?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  const n = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (n >= 1 && n <= MAX_WORKERS) return n;
  r.problems.push(`REGISTRY_WORKERS=${JSON.stringify(raw)} must be a whole number from 1 to ${MAX_WORKERS}, or auto (one per core)`);
  return 1;
}

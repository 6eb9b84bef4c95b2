/**
 * REGISTRY_WORKERS=N: the primary process forks N workers that each run the whole registry and share
 * the listening port (node:cluster hands connections out round-robin). Each worker has its own pool,
 * caches and download-count buffer, as separate instances do; the primary only starts them, restarts
 * one that dies, and on SIGTERM/SIGINT stops them all gracefully before it exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.ts';

export interface PrimaryOptions {
  workers: number;
  /** How long the workers get to finish requests in flight once told to stop. */
  shutdownGraceMs: number;
  /** Added to every worker's environment. */
  env: Record<string, string>;
  log: (line: string) => void;
}

// A worker that keeps dying (bad config, a crash at start) is not restarted forever.
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS = 5;
const RESTART_DELAY_MS = 1_000;

/** Environment the workers need in common: in test mode each process would draw its own JWT key. */
export function sharedWorkerEnv(config: Pick<Config, 'env' | 'auth'>): Record<string, string> {
  if (config.env === 'test' && config.auth.secretKey === undefined) return { REGISTRY_SECRET_KEY: randomBytes(32).toString('hex') };
  return {};
}

export function runPrimary(options: PrimaryOptions): Promise<number> {
  let stopping = false;
  let listening = 0;
  const restarts: number[] = [];
  const fork = () => cluster.fork(options.env);
  return new Promise((resolve) => {
    cluster.on('listening', (_worker: Worker, address) => {
      listening += 1;
      if (listening === options.workers) {
        options.log(
          `Synapse Registry: ${options.workers} workers at http://${address.address ?? '127.0.0.1'}:${address.port}/api/v1 — docs at /api/v1/docs`,
        );
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        options.log(`worker ${worker.process.pid} exited (${signal ?? code}); ${MAX_RESTARTS} restarts within a minute: stopping`);
        stop('restart limit').then(
          () => resolve(1),
          () => resolve(1),
        );
        return;
      }
      options.log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      setTimeout(() => !stopping && fork(), RESTART_DELAY_MS).unref();
    });
    const stop = async (why: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      options.log(`${why}: the workers finish requests in flight, then exit`);
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      if (workers.length === 0) return resolve(0);
      for (const w of workers) w.process.kill('SIGTERM');
      // A worker past its own grace period is ended by force.
      setTimeout(() => workers.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), options.shutdownGraceMs + 2_000).unref();
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    for (let i = 0; i < options.workers; i++) fork();
  });
}

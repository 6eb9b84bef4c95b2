/**
 * The background timer that keeps `package_popularity` fresh, started with the server. Searches and
 * trending only read the table; this is its one writer outside reindexing.
 */
import { refreshPopularityIfStale } from './package-popularity.ts';
import type { Db } from './users.ts';

/** Starts a repeating call; returns what stops it. `setInterval` in production, a fake in tests. */
export type RepeatTimer = (run: () => void, intervalMs: number) => () => void;

export interface PopularityRefresherOptions {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  now: () => Date;
  intervalMs: number;
  onError: (error: unknown) => void;
  timer?: RepeatTimer;
}

export interface PopularityRefresher {
  /** Refreshes now if stale (waiting for a run in progress first); resolves when the table is current. */
  refresh(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

const realTimer: RepeatTimer = (run, intervalMs) => {
  const handle = setInterval(run, intervalMs);
  // The refresher must never keep a process alive on its own.
  handle.unref();
  return () => clearInterval(handle);
};

export function startPopularityRefresher(options: PopularityRefresherOptions): PopularityRefresher {
  let running: Promise<void> = Promise.resolve();
  let pending = 0;
  const refresh = (): Promise<void> => {
    // Runs one after another, never two at once: each waits for the previous one.
    pending++;
    const next = running.then(async () => {
      await refreshPopularityIfStale(options.db, options.dialect, options.now());
    });
    running = next
      .catch(() => undefined)
      .finally(() => {
        pending--;
      });
    return next;
  };
  const tick = () => {
    // A refresh slower than the interval must not pile up runs behind it.
    if (pending > 0) return;
    refresh().catch(options.onError);
  };
  const cancel = (options.timer ?? realTimer)(tick, options.intervalMs);
  // A registry that was down over midnight, or restarted after downloads, catches up at once.
  tick();
  return {
    refresh,
    stop: async () => {
      cancel();
      await running;
    },
  };
}

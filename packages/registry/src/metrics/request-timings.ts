/**
 * Where a request's time went: database and storage milliseconds, added up by the statements and
 * storage calls made while serving it (found through AsyncLocalStorage), for the slow-request warning.
 * Only used when slow requests are logged and their time is split (see splitTimings).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestTimings {
  dbMs: number;
  storageMs: number;
}

let storage: AsyncLocalStorage<RequestTimings> | undefined;

/**
 * Whether to keep timings for `setting`: before Node 24 AsyncLocalStorage makes every promise of the
 * process pay for a hook, which on promise-heavy routes (every Kysely query is several promises) is
 * a cost on every request, for the benefit of the few slow ones; so there it is opt-in.
 */
export function splitTimings(setting: 'auto' | 'on' | 'off', nodeVersion = process.versions.node): boolean {
  if (setting !== 'auto') return setting === 'on';
  return Number(nodeVersion.split('.')[0]) >= 24;
}

/** Runs `next` (the rest of the request) adding to `timings`. */
export function withRequestTimings(timings: RequestTimings, next: () => void): void {
  storage ??= new AsyncLocalStorage();
  storage.run(timings, next);
}

/** The timings of the request being served, if timings are kept. */
export function currentTimings(): RequestTimings | undefined {
  return storage?.getStore();
}

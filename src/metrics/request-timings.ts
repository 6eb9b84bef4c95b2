/**
 * Where a request's time went: database and storage milliseconds, added up by the statements and
 * storage calls made while serving it (found through AsyncLocalStorage), for the slow-request warning.
 * Only used when slow-request logging is on: on Node 20 AsyncLocalStorage installs promise hooks
 * that every promise then pays for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestTimings {
  dbMs: number;
  storageMs: number;
}

let storage: AsyncLocalStorage<RequestTimings> | undefined;

/** Runs `next` (the rest of the request) adding to `timings`. */
export function withRequestTimings(timings: RequestTimings, next: () => void): void {
  storage ??= new AsyncLocalStorage();
  storage.run(timings, next);
}

/** The timings of the request being served, if timings are kept. */
export function currentTimings(): RequestTimings | undefined {
  return storage?.getStore();
}

/**
 * Where an instance's searches and package lists (suggest, trending, recent: each a few ms at 100,000
 * packages) wait their turn, so a burst of them never holds up the cheap reads beside them. On SQLite a search runs on this thread: one a turn of the event loop (turn-queue.ts).
 * On PostgreSQL it runs in the database: at most half the pool's connections search at once, so a
 * point read (a package document: one query) finds a free connection instead of queueing in the
 * pool behind 40 searches. A search arriving while SEARCH_QUEUE_LIMIT others wait is refused at once
 * with 503 and Retry-After rather than kept: at 1–5 ms a search, the last of 500 waits 0.5–2.5 s.
 */
import pLimit from 'p-limit';
import { RegistryError } from '../../../core/src/errors.ts';
import type { DatabaseConfig } from '../config/database.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { createTurnQueue } from './turn-queue.ts';

export const SEARCH_QUEUE_LIMIT = 500;

export interface SearchQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
}

const queues = new WeakMap<RegistryDatabase, SearchQueue>();

export const searchBusy = () =>
  new RegistryError(503, 'search_busy', `${SEARCH_QUEUE_LIMIT} searches and package lists are waiting already: try again in a second`, {
    headers: { 'retry-after': '1' },
  });

export function searchQueue(db: RegistryDatabase, config: DatabaseConfig): SearchQueue {
  let queue = queues.get(db);
  if (!queue) {
    queue = config.kind === 'postgres' ? poolShare(config.poolSize) : createTurnQueue({ maxWaiting: SEARCH_QUEUE_LIMIT, full: searchBusy });
    queues.set(db, queue);
  }
  return queue;
}

function poolShare(poolSize: number): SearchQueue {
  const limit = pLimit(Math.max(1, Math.floor(poolSize / 2)));
  return {
    run(task) {
      if (limit.pendingCount >= SEARCH_QUEUE_LIMIT) return Promise.reject(searchBusy());
      return limit(task);
    },
  };
}

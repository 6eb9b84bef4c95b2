/**
 * A full mirror's sync: reads the primary's changes feed from the stored cursor, page by page; for
 * each page mirrors every package named in it (a few at once), then stores the page's `next`. Killed
 * at any point, it resumes from the last stored cursor and replays at most one page, harmlessly.
 */
import type { RegistryDatabase } from '../../db/database.ts';
import type { BlobStore } from '../../storage/index.ts';
import { mapLimit } from '../../../../core/src/pool.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import { createUpstreamClient } from '../upstream-client.ts';
import { readCursor, storeCursor } from './cursor.ts';
import { mirrorPackage } from './mirror-package.ts';
import { mirrorAccount } from './mirror-account.ts';

export interface SyncOptions {
  db: RegistryDatabase;
  store: BlobStore;
  /** The primary's base URL. */
  from: string;
  timeoutMs: number;
  maxDocumentBytes: number;
  maxTarballBytes: number;
  /** Packages mirrored at once. */
  concurrency: number;
  /** Changes asked per feed page. */
  pageSize: number;
  /** Stop after this many pages (a bounded run; the next one resumes). */
  maxPages?: number;
  now: () => Date;
  onProgress?(progress: SyncProgress): void;
}

export interface SyncProgress {
  pages: number;
  packages: number;
  versions: number;
  bytes: number;
  elapsedMs: number;
  /** Packages the primary holds, when its /stats said (for an ETA). */
  total: number | null;
  cursor: string | undefined;
  /** The feed has nothing more after the stored cursor. */
  caughtUp: boolean;
}

interface FeedPage {
  changes: { package: string }[];
  next: string;
  more: boolean;
}

export async function syncFromFeed(options: SyncOptions): Promise<SyncProgress> {
  const client = createUpstreamClient({ baseUrl: options.from, timeoutMs: options.timeoutMs, maxDocumentBytes: options.maxDocumentBytes });
  const started = options.now().getTime();
  const stats = (await client.getJson('/stats').catch(() => null)) as { packages?: number } | null;
  const progress: SyncProgress = {
    pages: 0,
    packages: 0,
    versions: 0,
    bytes: 0,
    elapsedMs: 0,
    total: typeof stats?.packages === 'number' ? stats.packages : null,
    cursor: await readCursor(options.db.kysely, options.from),
    caughtUp: false,
  };
  const deps = { ...options, client, publisherId: await mirrorAccount(options.db.kysely, options.now().toISOString()) };
  while (!progress.caughtUp && (options.maxPages === undefined || progress.pages < options.maxPages)) {
    const query = new URLSearchParams({ limit: String(options.pageSize), ...(progress.cursor ? { since: progress.cursor } : {}) });
    const page = (await client.getJson(`/changes?${query}`)) as FeedPage | null;
    if (!page || !Array.isArray(page.changes) || typeof page.next !== 'string') {
      throw new UpstreamUnavailableError(
        options.from,
        'bad_answer',
        "the primary's changes feed answered something that is not a feed page",
      );
    }
    const names = [...new Set(page.changes.map((c) => c.package))];
    const outcomes = await mapLimit(names, options.concurrency, (name) => mirrorPackage(deps, name));
    await storeCursor(options.db.kysely, options.from, page.next, options.now().toISOString());
    progress.pages += 1;
    progress.cursor = page.next;
    progress.packages += names.length;
    progress.versions += outcomes.reduce((n, o) => n + o.versions, 0);
    progress.bytes += outcomes.reduce((n, o) => n + o.bytes, 0);
    progress.caughtUp = !page.more;
    progress.elapsedMs = options.now().getTime() - started;
    options.onProgress?.({ ...progress });
  }
  return progress;
}

/**
 * `npm run mirror`: makes this registry's database and storage a full copy of a primary registry,
 * through its changes feed, resuming from the stored cursor. `--follow` keeps polling for changes.
 * Same environment as `npm start` (run the registry itself with REGISTRY_MIRROR_OF so it refuses writes).
 *
 *   npm run mirror -- --from https://primary.example [--follow] [--concurrency 4] [--page-size 200]
 *                     [--max-pages N] [--poll-seconds 30]
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { createBlobStore } from '../storage/index.ts';
import { formatProgress } from './full/progress.ts';
import { syncFromFeed } from './full/sync.ts';
import { runCommand } from '../command-main.ts';

const USAGE = 'usage: npm run mirror -- --from URL [--follow] [--concurrency 1-32] [--page-size 1-1000] [--max-pages N] [--poll-seconds N]';

interface Options {
  from: string;
  follow: boolean;
  concurrency: number;
  pageSize: number;
  maxPages: number | undefined;
  pollSeconds: number;
}

const within = (raw: string | undefined, min: number, max: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

function parseOptions(): Options | null {
  try {
    const { values } = parseArgs({
      options: {
        from: { type: 'string' },
        follow: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '4' },
        'page-size': { type: 'string', default: '200' },
        'max-pages': { type: 'string' },
        'poll-seconds': { type: 'string', default: '30' },
      },
    });
    const from = values.from?.replace(/\/+$/, '');
    const concurrency = within(values.concurrency, 1, 32);
    const pageSize = within(values['page-size'], 1, 1000);
    const maxPages = values['max-pages'] === undefined ? undefined : within(values['max-pages'], 1, 1e9);
    const pollSeconds = within(values['poll-seconds'], 1, 86_400);
    if (!from || !/^https?:\/\/[^/]+/.test(from) || !concurrency || !pageSize || maxPages === null || !pollSeconds) return null;
    return { from, follow: values.follow, concurrency, pageSize, maxPages, pollSeconds };
  } catch {
    return null;
  }
}

async function main(options: Options) {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  try {
    const store = await createBlobStore(config.storage);
    const run = () =>
      syncFromFeed({
        db,
        store,
        from: options.from,
        now: () => new Date(),
        timeoutMs: config.upstream.timeoutMs,
        maxDocumentBytes: config.upstream.maxDocumentBytes,
        maxTarballBytes: config.limits.maxTarballBytes,
        concurrency: options.concurrency,
        pageSize: options.pageSize,
        maxPages: options.maxPages,
        onProgress: (p) => console.log(formatProgress(p)),
      });
    let done = await run();
    while (options.follow && !stop.signal.aborted) {
      if (done.caughtUp) await sleep(options.pollSeconds * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
      if (!stop.signal.aborted) done = await run();
    }
    if (!done.caughtUp) console.log(`stopped before the end of the feed; run again to resume from ${done.cursor}`);
  } finally {
    await db.close();
  }
}

await runCommand({ parse: parseOptions, usage: USAGE, main });

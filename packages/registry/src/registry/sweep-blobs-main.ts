/**
 * `npm run sweep-blobs`: lists the stored blobs that no live version refers to and that are older
 * than the grace period; with `--delete` it removes them. Same environment as `npm start`.
 *
 *   npm run sweep-blobs -- [--delete] [--min-age-hours 24]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { createBlobStore } from '../storage/index.ts';
import { sweepOrphanBlobs } from './sweep-blobs.ts';
import { runCommand } from '../command-main.ts';

const USAGE = 'usage: npm run sweep-blobs -- [--delete] [--min-age-hours N]   (N ≥ 1, default 24)';

function parseOptions(): { remove: boolean; hours: number } | null {
  try {
    const { values } = parseArgs({
      options: { delete: { type: 'boolean', default: false }, 'min-age-hours': { type: 'string', default: '24' } },
    });
    const hours = Number(values['min-age-hours']);
    return Number.isFinite(hours) && hours >= 1 ? { remove: values.delete, hours } : null;
  } catch {
    return null;
  }
}

async function main(options: { remove: boolean; hours: number }) {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    const store = await createBlobStore(config.storage);
    const report = await sweepOrphanBlobs({
      db: db.kysely,
      store,
      now: new Date(),
      minAgeMs: options.hours * 3_600_000,
      dryRun: !options.remove,
    });
    for (const key of report.orphans) console.log(key);
    const what = options.remove ? 'removed' : 'unreferenced (run with --delete to remove them)';
    console.log(`${report.scanned} blobs scanned; ${report.orphans.length} older than ${options.hours} h ${what}`);
  } finally {
    await db.close();
  }
}

await runCommand({ parse: parseOptions, usage: USAGE, main });

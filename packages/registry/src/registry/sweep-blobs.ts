/**
 * Removes blobs that no live version refers to: those a publish committed before its database
 * transaction failed, and those whose removal failed after a delete. Only blobs older than a grace
 * period are considered, so a publish in flight (blob committed, row not yet) keeps its blob: a
 * commit writes or refreshes the blob's modification time, and a publish takes far less than the
 * grace period from commit to row.
 */
import { blobReferenced } from '../db/packages.ts';
import type { Db } from '../db/users.ts';
import type { BlobStore } from '../storage/index.ts';

export interface SweepOptions {
  db: Db;
  store: BlobStore;
  now: Date;
  /** Blobs modified more recently than this are left alone. */
  minAgeMs: number;
  /** List what would go without removing it. */
  dryRun: boolean;
}

export interface SweepReport {
  scanned: number;
  /** Keys of unreferenced blobs past the grace period: removed, unless this was a dry run. */
  orphans: string[];
}

export async function sweepOrphanBlobs(options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { scanned: 0, orphans: [] };
  const cutoff = options.now.getTime() - options.minAgeMs;
  for await (const blob of options.store.list()) {
    report.scanned += 1;
    if (blob.modifiedAt.getTime() > cutoff) continue;
    if (await blobReferenced(options.db, blob.key)) continue;
    report.orphans.push(blob.key);
    if (!options.dryRun) await options.store.remove(blob.key);
  }
  return report;
}

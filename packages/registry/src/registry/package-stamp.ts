/**
 * A package's `updated_at` is the key its cached document is checked against, so every change must
 * move it: two changes in one millisecond, or an instance whose clock is behind another's, would
 * otherwise leave the key where it was and the cache would serve the document from before.
 */
import type { Db } from '../db/users.ts';

/** `now`, or one millisecond past `previous` when `now` is not later than it. */
export function laterStamp(previous: string | undefined, now: string): string {
  if (previous === undefined) return now;
  const before = Date.parse(previous);
  return Date.parse(now) > before ? now : new Date(before + 1).toISOString();
}

/** The package's next `updated_at` (read inside the change's transaction, after its row lock). */
export async function nextStamp(trx: Db, packageId: number, now: string): Promise<string> {
  const row = await trx.selectFrom('packages').select('updated_at').where('id', '=', packageId).executeTakeFirst();
  return laterStamp(row?.updated_at, now);
}

/** Moves `updated_at` forward and nothing else (owners, deprecation: what the document shows). */
export async function touchPackage(trx: Db, packageId: number, now: string): Promise<void> {
  await trx
    .updateTable('packages')
    .set({ updated_at: await nextStamp(trx, packageId, now) })
    .where('id', '=', packageId)
    .execute();
}

/** Where a full mirror is in its primary's changes feed (migration 0025). */
import type { Db } from '../../db/users.ts';

export async function readCursor(db: Db, upstream: string): Promise<string | undefined> {
  const row = await db.selectFrom('mirror_state').select('cursor').where('upstream', '=', upstream).executeTakeFirst();
  return row?.cursor;
}

export async function storeCursor(db: Db, upstream: string, cursor: string, at: string): Promise<void> {
  await db
    .insertInto('mirror_state')
    .values({ upstream, cursor, updated_at: at })
    .onConflict((oc) => oc.column('upstream').doUpdateSet({ cursor, updated_at: at }))
    .execute();
}

/**
 * The account mirrored versions are recorded as published by (a version row needs one). It cannot
 * log in: its password hash matches no password, and it is inactive.
 */
import type { Db } from '../../db/users.ts';

export const MIRROR_ACCOUNT = 'mirror';

export async function mirrorAccount(db: Db, now: string): Promise<number> {
  await db
    .insertInto('users')
    .values({ username: MIRROR_ACCOUNT, email: 'mirror@mirror.invalid', password_hash: '!', created_at: now, is_active: 0 })
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
  const row = await db.selectFrom('users').select('id').where('username', '=', MIRROR_ACCOUNT).executeTakeFirstOrThrow();
  return Number(row.id);
}

import type { Kysely } from 'kysely';
import type { Database, UserRow } from './schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type Db = Kysely<Database>;

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The user behind a session and whether that session was logged out, in one query: the user by
 * primary key, the deny-list by its primary key (jti). Runs on every session-authenticated request.
 */
export async function findSessionUser(db: Db, id: number, tokenId: string) {
  return db
    .selectFrom('users')
    .leftJoin('revoked_sessions', (join) => join.on('revoked_sessions.jti', '=', tokenId))
    .select([
      'users.id',
      'users.username',
      'users.is_active',
      'users.session_generation',
      'users.is_admin',
      'revoked_sessions.jti as revoked_jti',
    ])
    .where('users.id', '=', id)
    .executeTakeFirst();
}

/**
 * Stores a fresh hash of the same password, only if the row still has the hash that was just
 * verified: a password change racing this login must not be overwritten.
 */
export async function replacePasswordHash(db: Db, update: { userId: number; oldHash: string; newHash: string }): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: update.newHash })
    .where('id', '=', update.userId)
    .where('password_hash', '=', update.oldHash)
    .execute();
}

/** Inserts a user; returns 'username_taken' / 'email_taken' instead of throwing on a duplicate. */
export async function insertUser(
  db: Db,
  user: { username: string; email: string; passwordHash: string; now: string },
): Promise<UserRow | 'username_taken' | 'email_taken'> {
  // Up to two rows can match (one by name, one by email); the username answer wins, as it is public anyway.
  const taken = await db
    .selectFrom('users')
    .select(['username', 'email'])
    .where((eb) => eb.or([eb('username', '=', user.username), eb('email', '=', user.email)]))
    .limit(2)
    .execute();
  if (taken.some((row) => row.username === user.username)) return 'username_taken';
  if (taken.length > 0) return 'email_taken';
  try {
    return await db
      .insertInto('users')
      .values({ username: user.username, email: user.email, password_hash: user.passwordHash, created_at: user.now, is_active: 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // Two registrations raced past the check above; the unique index decides.
    if (isUniqueViolation(error)) return String(error).includes('email') ? 'email_taken' : 'username_taken';
    throw error;
  }
}

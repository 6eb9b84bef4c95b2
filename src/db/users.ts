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

/** Inserts a user; returns 'username_taken' / 'email_taken' instead of throwing on a duplicate. */
export async function insertUser(
  db: Db,
  user: { username: string; email: string; passwordHash: string; now: string },
): Promise<UserRow | 'username_taken' | 'email_taken'> {
  const taken = await db
    .selectFrom('users')
    .select(['username', 'email'])
    .where((eb) => eb.or([eb('username', '=', user.username), eb('email', '=', user.email)]))
    .executeTakeFirst();
  if (taken) return taken.username === user.username ? 'username_taken' : 'email_taken';
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

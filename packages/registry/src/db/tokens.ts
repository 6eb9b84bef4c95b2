import type { ApiTokenRow } from './schema.ts';
import type { Db } from './users.ts';

export async function insertToken(
  db: Db,
  token: { userId: number; name: string; hash: string; scopes: string[]; packages: string[] | null; now: string; expiresAt: string | null },
): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({
      user_id: token.userId,
      name: token.name,
      token_hash: token.hash,
      scopes: JSON.stringify(token.scopes),
      packages: token.packages === null ? null : JSON.stringify(token.packages),
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listTokens(db: Db, userId: number): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('id').execute();
}

/** Revokes the user's own token; false when there is no such live token of theirs. */
export async function revokeToken(db: Db, userId: number, tokenId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The live token with this hash and its owner, or undefined for unknown, revoked or expired tokens. */
export async function findLiveToken(db: Db, hash: string, now: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.user_id',
      'api_tokens.scopes',
      'api_tokens.packages',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'users.username',
      'users.is_admin',
    ])
    .where('api_tokens.token_hash', '=', hash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.is_active', '=', 1)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .executeTakeFirst();
}

/** Expired deny-list rows removed per logout: enough to keep up, bounded per request. */
const PURGE_BATCH = 100;

/** Logs one session out until its own expiry; logging out twice is harmless. */
export async function revokeSession(db: Db, session: { jti: string; userId: number; expiresAt: string; now: string }): Promise<void> {
  await db
    .insertInto('revoked_sessions')
    .values({ jti: session.jti, user_id: session.userId, expires_at: session.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
  // A row is useless once its token has expired: the signature check refuses it first.
  await db
    .deleteFrom('revoked_sessions')
    .where('jti', 'in', (eb) => eb.selectFrom('revoked_sessions').select('jti').where('expires_at', '<=', session.now).limit(PURGE_BATCH))
    .execute();
}

/** Logs out every session of the user, including the one asking; API tokens are not touched. */
export async function revokeAllSessions(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ session_generation: eb('session_generation', '+', 1) }))
    .where('id', '=', userId)
    .execute();
}

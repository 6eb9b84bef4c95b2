import type { Kysely, Migration } from 'kysely';

/**
 * Revocable sessions. A session JWT carries the user's session generation at login: bumping
 * `users.session_generation` logs out every session at once. One session is logged out by its
 * `jti` in `revoked_sessions`, kept only until the token would have expired anyway.
 */
export function sessionsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('users')
        .addColumn('session_generation', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('revoked_sessions')
        .addColumn('jti', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('revoked_sessions_expires_at').on('revoked_sessions').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('revoked_sessions').execute();
      await db.schema.alterTable('users').dropColumn('session_generation').execute();
    },
  };
}

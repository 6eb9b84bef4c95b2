import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A token's name says which machine or job holds it, so two live tokens of one account may not share
 * one (a revoked token's name is free again). Live duplicates made before this are renamed
 * "NAME (id N)" (every one but the oldest), so the index can be built.
 */
export function tokenNamesSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`UPDATE api_tokens SET name = name || ' (id ' || CAST(id AS TEXT) || ')'
        WHERE revoked_at IS NULL AND EXISTS (
          SELECT 1 FROM api_tokens older
          WHERE older.user_id = api_tokens.user_id AND older.name = api_tokens.name
            AND older.revoked_at IS NULL AND older.id < api_tokens.id)`.execute(db);
      await db.schema
        .createIndex('api_tokens_live_name')
        .unique()
        .on('api_tokens')
        .columns(['user_id', 'name'])
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('api_tokens_live_name').ifExists().execute();
    },
  };
}

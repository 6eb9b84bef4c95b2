import type { Kysely, Migration } from 'kysely';

/** A full mirror's place in its primary's changes feed: the cursor stored after each applied page. */
export function mirrorStateSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('mirror_state')
        .addColumn('upstream', 'text', (c) => c.primaryKey())
        .addColumn('cursor', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('mirror_state').execute();
    },
  };
}

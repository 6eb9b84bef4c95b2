import type { Kysely, Migration } from 'kysely';

/**
 * The admins' audit view filters by action (`?action=publish`). Without an index a rare action
 * meant walking the whole log backwards; with (action, id) the newest entries of one action are
 * read off the index in order, like the package and user filters of migration 0009.
 */
export function auditByActionSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_log_action').ifExists().execute();
    },
  };
}

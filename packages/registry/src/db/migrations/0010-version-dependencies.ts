import type { Kysely, Migration } from 'kysely';
import { canonicalName } from '../../../../core/src/names.ts';

const BACKFILL_BATCH = 1_000;

/**
 * Who depends on a package, by index: one row per dependency of a version (by the dependency's
 * canonical name). The deletion policy asks "does another package's live version depend on this
 * one?", which reading every version's JSON would answer only by scanning the whole table.
 */
export function versionDependenciesSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('version_dependencies')
        .addColumn('version_id', 'bigint', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('dependency', 'text', (c) => c.notNull())
        .addColumn('range', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('version_dependencies_dependency')
        .on('version_dependencies')
        .columns(['dependency', 'version_id'])
        .execute();
      await backfill(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('version_dependencies').execute();
    },
  };
}

/** Existing versions' dependencies, in batches by id so memory stays flat on a large registry. */
async function backfill(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as Kysely<{
    versions: { id: number; dependencies: string };
    version_dependencies: { version_id: number; dependency: string; range: string };
  }>;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('versions')
      .select(['id', 'dependencies'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    if (rows.length === 0) return;
    const values = rows.flatMap((r) =>
      Object.entries(JSON.parse(r.dependencies) as Record<string, string>).map(([name, range]) => ({
        version_id: r.id,
        dependency: canonicalName(name),
        range,
      })),
    );
    if (values.length > 0) await db.insertInto('version_dependencies').values(values).execute();
    after = Number(rows[rows.length - 1]!.id);
  }
}

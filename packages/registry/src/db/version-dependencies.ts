/** The dependency index (migration 0010): who depends on a package, without reading every version. */
import { canonicalName } from '../../../core/src/names.ts';
import type { Db } from './users.ts';

/** Indexes a new version's dependencies; called in its publish transaction. */
export async function recordDependencies(db: Db, versionId: number, dependencies: Record<string, string>): Promise<void> {
  const values = Object.entries(dependencies).map(([name, range]) => ({
    version_id: versionId,
    dependency: canonicalName(name),
    range,
  }));
  if (values.length > 0) await db.insertInto('version_dependencies').values(values).execute();
}

/**
 * The distinct ranges by which live versions of OTHER packages depend on `name`, at most `limit`
 * (callers ask for one more than they will read, to know the list was cut).
 */
export async function dependentRanges(db: Db, query: { name: string; excludePackageId: number; limit: number }): Promise<string[]> {
  const rows = await db
    .selectFrom('version_dependencies')
    .innerJoin('versions', 'versions.id', 'version_dependencies.version_id')
    .select('version_dependencies.range')
    .distinct()
    .where('version_dependencies.dependency', '=', canonicalName(query.name))
    .where('versions.deleted_at', 'is', null)
    .where('versions.package_id', '<>', query.excludePackageId)
    .limit(query.limit)
    .execute();
  return rows.map((r) => r.range);
}

/**
 * The packages an advisory event also reaches: those with a live version that depends on an affected
 * package by a range admitting an affected live version of it. Their owners' webhooks hear
 * `advisory.published` and `advisory.withdrawn` too (the affected package's own owners hear them
 * through the audit entry). Bounded: at most DEPENDENT_CAP (package, range) pairs are read.
 */
import semver from 'semver';
import type { Db } from '../db/users.ts';
import type { AuditEntry } from '../registry/audit.ts';
import { emitWebhookEvents } from '../webhooks/fan-out.ts';
import { affects, compileAffected } from './affects.ts';
import type { AffectedPackage } from './advisory.ts';

const DEPENDENT_CAP = 1_000;

async function affectedLiveVersions(db: Db, packageId: number, pkg: AffectedPackage): Promise<string[]> {
  const rows = await db
    .selectFrom('versions')
    .select('version')
    .where('package_id', '=', packageId)
    .where('deleted_at', 'is', null)
    .execute();
  const matcher = compileAffected([pkg.spec]);
  return rows.map((r) => r.version).filter((v) => affects(matcher, v));
}

/** Dependent packages (id and name) of one affected package, by the rule above. */
async function dependents(db: Db, packageId: number, pkg: AffectedPackage): Promise<{ id: number; name: string }[]> {
  const affected = await affectedLiveVersions(db, packageId, pkg);
  if (affected.length === 0) return [];
  const rows = await db
    .selectFrom('version_dependencies')
    .innerJoin('versions', 'versions.id', 'version_dependencies.version_id')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select(['packages.id as id', 'packages.name as name', 'version_dependencies.range as range'])
    .distinct()
    .where('version_dependencies.dependency', '=', pkg.canonical)
    .where('versions.deleted_at', 'is', null)
    .where('versions.package_id', '<>', packageId)
    .limit(DEPENDENT_CAP)
    .execute();
  const reached = new Map<number, string>();
  for (const row of rows) {
    if (!reached.has(Number(row.id)) && affected.some((v) => semver.satisfies(v, row.range))) reached.set(Number(row.id), row.name);
  }
  return [...reached].map(([id, name]) => ({ id, name }));
}

/** Raises the entry's event for every dependent package of the affected ones (no audit entry: nothing of theirs changed). */
export async function notifyDependents(
  db: Db,
  named: ReadonlyMap<string, { id: number; name: string }>,
  packages: readonly AffectedPackage[],
  entry: AuditEntry,
): Promise<void> {
  const seen = new Set<number>([...named.values()].map((p) => p.id));
  for (const pkg of packages) {
    const own = named.get(pkg.canonical);
    if (!own) continue;
    for (const dependent of await dependents(db, own.id, pkg)) {
      if (seen.has(dependent.id)) continue;
      seen.add(dependent.id);
      await emitWebhookEvents(db, { ...entry, package: dependent, details: { ...entry.details, affected_package: own.name } });
    }
  }
}

/**
 * Deprecating a whole package or one version, and undoing it. The owner says why (a reason from
 * DEPRECATION_REASONS), optionally what to do and which package replaces it; installs then warn.
 * Deprecating again replaces the earlier deprecation. Each change moves packages.updated_at, so the
 * cached package document is rebuilt, and is audited in its own transaction.
 */
import { touchPackage } from './package-stamp.ts';
import { badRequest, conflict, forbidden, notFound } from '../../../core/src/errors.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import type { PackageRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { canonicalName } from '../../../core/src/names.ts';
import { recordAudit } from './audit.ts';
import type { DeprecationRequest } from './deprecation-request.ts';
import type { Actor } from './publisher.ts';

export interface DeprecateDeps {
  db: RegistryDatabase;
  now: () => Date;
}

/** A whole package (version undefined) or one of its live versions. */
export interface DeprecationTarget {
  name: string;
  version?: string;
}

const CLEARED = {
  deprecation_reason: null,
  deprecation_message: null,
  deprecation_replacement: null,
  deprecated_at: null,
  deprecated_by: null,
};

/** Sets (or replaces) the deprecation of a package or version. */
export async function deprecate(deps: DeprecateDeps, actor: Actor, target: DeprecationTarget, request: DeprecationRequest): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const { pkg, versionId } = await lockTarget(trx, deps.db.dialect, actor, target);
    const replacement = request.replacement === null ? null : await checkReplacement(trx, pkg, request.replacement);
    const now = deps.now().toISOString();
    const values = {
      deprecation_reason: request.reason,
      deprecation_message: request.message,
      deprecation_replacement: replacement,
      deprecated_at: now,
      deprecated_by: actor.username,
    };
    if (versionId === null) await trx.updateTable('packages').set(values).where('id', '=', pkg.id).execute();
    else await trx.updateTable('versions').set(values).where('id', '=', versionId).execute();
    await touchPackage(trx, pkg.id, now);
    const details = { reason: request.reason, message: request.message, replacement };
    await recordAudit(trx, {
      action: 'deprecate',
      actor,
      package: { id: pkg.id, name: pkg.name },
      version: target.version ?? null,
      details,
      at: now,
    });
  });
}

/** Removes a deprecation; 409 not_deprecated when there is none. */
export async function undeprecate(deps: DeprecateDeps, actor: Actor, target: DeprecationTarget): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const { pkg, versionId } = await lockTarget(trx, deps.db.dialect, actor, target);
    const table = versionId === null ? 'packages' : 'versions';
    const id = versionId ?? pkg.id;
    const was = await trx
      .selectFrom(table)
      .select(['deprecation_reason', 'deprecation_message', 'deprecation_replacement', 'deprecated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // Guarded in SQL too: of two owners undoing at once, one changes the row and the other is told.
    const cleared =
      was.deprecated_at === null
        ? []
        : await trx.updateTable(table).set(CLEARED).where('id', '=', id).where('deprecated_at', 'is not', null).execute();
    const what = target.version === undefined ? pkg.name : `${pkg.name}@${target.version}`;
    if (Number(cleared[0]?.numUpdatedRows ?? 0) === 0)
      throw conflict('not_deprecated', `${what} is not deprecated, so there is nothing to undo; check the name and version`);
    const now = deps.now().toISOString();
    await touchPackage(trx, pkg.id, now);
    const details = { reason: was.deprecation_reason, message: was.deprecation_message, replacement: was.deprecation_replacement };
    await recordAudit(trx, {
      action: 'undeprecate',
      actor,
      package: { id: pkg.id, name: pkg.name },
      version: target.version ?? null,
      details,
      at: now,
    });
  });
}

/**
 * The package and the live version, row-locked on PostgreSQL before ownership is read. The version
 * row first, then the package: the order a download flush and a yank take them in, so none of them
 * can deadlock with another.
 */
async function lockTarget(trx: Db, dialect: 'sqlite' | 'postgres', actor: Actor, target: DeprecationTarget) {
  const found = await findPackage(trx, target.name);
  // A package whose every version is deleted is not shown, so it cannot be deprecated either.
  if (!found || found.latest_version === null) throw notFound('package_not_found', `No package named ${target.name}`);
  let versionId: number | null = null;
  if (target.version !== undefined) {
    const query = trx
      .selectFrom('versions')
      .select('id')
      .where('package_id', '=', found.id)
      .where('version', '=', target.version)
      .where('deleted_at', 'is', null);
    const row = await (dialect === 'postgres' ? query.forNoKeyUpdate() : query).executeTakeFirst();
    if (!row) throw notFound('version_not_found', `${found.name} has no version ${target.version}`);
    versionId = row.id;
  }
  let pkg: PackageRow = found;
  if (dialect === 'postgres') {
    pkg = await trx.selectFrom('packages').selectAll().where('id', '=', found.id).forNoKeyUpdate().executeTakeFirstOrThrow();
  }
  if (!(await isOwner(trx, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot change its deprecation; ask an owner`);
  }
  if (!actor.allows('yank', pkg.name)) {
    throw forbidden('token_scope', `This API token may not deprecate ${pkg.name}: deprecation needs a token with the "yank" scope for it`);
  }
  return { pkg, versionId };
}

/** The replacement's display name; it must be another package that exists. */
async function checkReplacement(trx: Db, pkg: PackageRow, replacement: string): Promise<string> {
  if (canonicalName(replacement) === pkg.canonical_name) {
    throw badRequest(
      'replacement_is_self',
      `${pkg.name} cannot be replaced by itself; name another package, or say which version to use in the message`,
    );
  }
  const other = await findPackage(trx, replacement);
  if (!other || other.latest_version === null) {
    throw badRequest(
      'replacement_not_found',
      `There is no package named ${replacement} to point users to; publish it first, or check the spelling`,
    );
  }
  return other.name;
}

/**
 * Yank and unyank: a yanked version still downloads and still shows, but a new resolution never
 * picks it (an existing lockfile and an exact pin still do). Both are idempotent: yanking a yanked
 * version replaces its reason (and who and when), unyanking a version that is not yanked changes
 * nothing; every accepted call is audited, with whether the version was yanked before.
 */
import { forbidden, notFound, validationError } from '../../../core/src/errors.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import { lockPackage } from '../db/owners.ts';
import type { VersionRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import type { ActionLimits } from './action-limits.ts';
import { recordAudit } from './audit.ts';
import { lifecycleTextProblem } from '../../../core/src/lifecycle-rules.ts';
import type { Actor } from './publisher.ts';
import { refreshPackage } from './refresh-package.ts';

export interface YankDeps {
  db: RegistryDatabase;
  now: () => Date;
  actionLimits: ActionLimits;
}

export interface YankChange {
  name: string;
  version: string;
  /** True to yank, false to unyank. */
  yanked: boolean;
  /** Why (yank only); null for none. */
  reason: string | null;
}

/** A yank body's reason: absent, null or blank is none; else printable, at most 500 characters. */
export function parseYankReason(body: unknown): string | null {
  const reason = body && typeof body === 'object' ? (body as { reason?: unknown }).reason : undefined;
  if (reason === undefined || reason === null) return null;
  const problem = typeof reason !== 'string' ? 'reason must be a string' : lifecycleTextProblem('reason', reason);
  if (problem) throw validationError([{ field: 'reason', message: problem }], problem);
  const trimmed = (reason as string).trim();
  return trimmed === '' ? null : trimmed;
}

/** Yanks or unyanks; returns the version as it now is, with its package's display name. */
export async function setYanked(deps: YankDeps, actor: Actor, change: YankChange): Promise<VersionRow & { package_name: string }> {
  // Refusals first, so a refused call takes nothing from the actor's yank allowance.
  await checkYankable(deps.db.kysely, actor, change);
  await deps.actionLimits.take('yank', String(actor.userId));
  return deps.db.kysely.transaction().execute(async (trx) => {
    const { pkg, version } = await checkYankable(trx, actor, change, deps.db.dialect);
    const now = deps.now().toISOString();
    const set = change.yanked
      ? { yanked_at: now, yank_reason: change.reason, yanked_by: actor.username }
      : { yanked_at: null, yank_reason: null, yanked_by: null };
    const row = await trx.updateTable('versions').set(set).where('id', '=', version.id).returningAll().executeTakeFirstOrThrow();
    await refreshPackage(trx, deps.db.dialect, pkg.id, { now });
    const details = { ...(change.yanked ? { reason: change.reason } : {}), was_yanked: version.yanked_at !== null };
    const action = change.yanked ? 'yank' : 'unyank';
    await recordAudit(trx, { action, actor, package: { id: pkg.id, name: pkg.name }, version: row.version, details, at: now });
    return { ...row, package_name: pkg.name };
  });
}

/**
 * The package and live version, or the refusal (404, 403 not_owner, 403 token_scope). Given the
 * dialect (inside the transaction), it reads the version row under its lock on PostgreSQL, so
 * concurrent yanks of one version run one after the other and each sees the one before. The version
 * first, then the package (refreshPackage): the order a download flush takes them in, so the two
 * cannot deadlock. NO KEY: download counts' foreign keys hold KEY SHARE locks on the version row.
 */
async function checkYankable(db: Db, actor: Actor, change: YankChange, dialect?: 'sqlite' | 'postgres') {
  const pkg = await findPackage(db, change.name);
  if (!pkg) throw notFound('package_not_found', `No package named ${change.name}`);
  const query = db
    .selectFrom('versions')
    .selectAll()
    .where('package_id', '=', pkg.id)
    .where('version', '=', change.version)
    .where('deleted_at', 'is', null);
  const version = await (dialect === 'postgres' ? query.forNoKeyUpdate() : query).executeTakeFirst();
  if (!version) throw notFound('version_not_found', `${pkg.name} has no version ${change.version}`);
  // Then the package row, which owner removals lock: ownership is read after any removal committed.
  if (dialect === 'postgres') await lockPackage(db, dialect, pkg.name);
  const verb = change.yanked ? 'yank' : 'unyank';
  if (!(await isOwner(db, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot ${verb} its versions`);
  }
  if (!actor.allows('yank', pkg.name)) {
    throw forbidden('token_scope', `This API token may not ${verb} versions of ${pkg.name}: it needs the "yank" scope`);
  }
  return { pkg, version };
}

/**
 * Locking a package (an admin action, with a reason): a locked package takes no new versions until
 * an admin unlocks it; everything already published stays as it is. Publish checks the lock again
 * inside its transaction, after taking the package row lock, so a lock is never outrun by a publish.
 */
import { sql } from 'kysely';
import { forbidden, notFound, validationError } from '../../../core/src/errors.ts';
import { findPackage } from '../db/packages.ts';
import type { PackageRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import { lifecycleTextProblem } from '../../../core/src/lifecycle-rules.ts';
import type { Actor } from './publisher.ts';

interface Deps {
  db: { kysely: Db; dialect: 'sqlite' | 'postgres' };
  now: () => Date;
}

/** A package's lock as the API shows it, or null. */
export function lockView(pkg: Pick<PackageRow, 'locked_at' | 'locked_reason' | 'locked_by'>) {
  if (pkg.locked_at === null) return null;
  return { reason: pkg.locked_reason ?? '', locked_at: pkg.locked_at, locked_by: pkg.locked_by ?? '' };
}

function requiredReason(input: string | undefined): string {
  const reason = input?.trim() ?? '';
  if (reason === '')
    throw validationError(
      [{ field: 'reason', message: 'reason is required: say why the package is locked (its owners see it)' }],
      'reason is required: say why the package is locked (its owners see it)',
    );
  const problem = lifecycleTextProblem('reason', reason);
  if (problem) throw validationError([{ field: 'reason', message: problem }], problem);
  return reason;
}

async function lockedRow(trx: Db, dialect: 'sqlite' | 'postgres', name: string): Promise<PackageRow> {
  const pkg = await findPackage(trx, name);
  if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
  if (dialect === 'sqlite') return pkg;
  // Read again under the row lock: a concurrent lock, unlock or publish has finished by then.
  return trx.selectFrom('packages').selectAll().where('id', '=', pkg.id).forNoKeyUpdate().executeTakeFirstOrThrow();
}

/** Locks a package, or changes the reason of its lock (keeping when it was locked). Audited when it changed. */
export async function lockPackage(deps: Deps, actor: Actor, name: string, reasonInput: string | undefined) {
  const reason = requiredReason(reasonInput);
  const now = deps.now().toISOString();
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await lockedRow(trx, deps.db.dialect, name);
    // Guarded in SQL: a lock with the same reason already in place writes (and audits) nothing.
    const updated = await trx
      .updateTable('packages')
      .set({ locked_at: sql<string>`coalesce(locked_at, ${now})`, locked_reason: reason, locked_by: actor.username, updated_at: now })
      .where('id', '=', pkg.id)
      .where((eb) => eb.or([eb('locked_at', 'is', null), eb('locked_reason', 'is distinct from', reason)]))
      .returningAll()
      .executeTakeFirst();
    if (updated)
      await recordAudit(trx, { action: 'package_lock', actor, package: { id: pkg.id, name: pkg.name }, details: { reason }, at: now });
    return { name: pkg.name, locked: lockView(updated ?? pkg)! };
  });
}

/** Unlocks a package; 404 lock_not_found when it is not locked. */
export async function unlockPackage(deps: Deps, actor: Actor, name: string): Promise<void> {
  const now = deps.now().toISOString();
  await deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await lockedRow(trx, deps.db.dialect, name);
    const updated = await trx
      .updateTable('packages')
      .set({ locked_at: null, locked_reason: null, locked_by: null, updated_at: now })
      .where('id', '=', pkg.id)
      .where('locked_at', 'is not', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw notFound('lock_not_found', `${pkg.name} is not locked; there is nothing to unlock`);
    }
    await recordAudit(trx, {
      action: 'package_unlock',
      actor,
      package: { id: pkg.id, name: pkg.name },
      details: { reason: pkg.locked_reason },
      at: now,
    });
  });
}

/** Refuses a new version of a locked package (403 package_locked, with the admins' reason). */
export function checkNotLocked(pkg: Pick<PackageRow, 'name' | 'locked_at' | 'locked_reason'>): void {
  if (pkg.locked_at === null) return;
  throw forbidden(
    'package_locked',
    `${pkg.name} is locked by the registry's admins (${pkg.locked_reason ?? 'no reason given'}); it takes no new versions until an admin unlocks it`,
  );
}

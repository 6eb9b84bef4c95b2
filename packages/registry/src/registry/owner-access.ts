import { forbidden, notFound } from '../../../core/src/errors.ts';
import { isOwner } from '../db/packages.ts';
import { lockPackage } from '../db/owners.ts';
import type { PackageRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import type { Actor } from './publisher.ts';

export interface OwnersDeps {
  db: { kysely: Db; dialect: 'sqlite' | 'postgres' };
  now: () => Date;
}

/**
 * The package an owner is about to change the owners of, locked for the rest of the transaction,
 * after checking (under that lock, so a concurrent removal is seen) that the actor still owns it and
 * that their token has the "owners" scope for it. `doing` completes "so you cannot …".
 */
export async function lockOwnedPackage(trx: Db, deps: OwnersDeps, actor: Actor, name: string, doing: string): Promise<PackageRow> {
  return checkOwned(trx, await lockPackage(trx, deps.db.dialect, name), { actor, name, doing });
}

/** The same checks on a package read without a lock (for reads). */
export async function checkOwned(
  db: Db,
  pkg: PackageRow | undefined,
  { actor, name, doing }: { actor: Actor; name: string; doing: string },
): Promise<PackageRow> {
  if (!pkg) throw notFound('package_not_found', `No package named ${name}`);
  if (!(await isOwner(db, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot ${doing}`);
  }
  if (!actor.allows('owners', pkg.name)) {
    throw forbidden('token_scope', `This API token may not manage the owners of ${pkg.name}: it needs the "owners" scope for that package`);
  }
  return pkg;
}

/** The package document lists the owners and is cached by updated_at: an owner change moves it. */
export { touchPackage } from './package-stamp.ts';

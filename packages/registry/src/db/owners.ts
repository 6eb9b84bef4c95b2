/** Owners and owner invitations: the queries behind registry/owner-*.ts and the owners routes. */
import type { PackageRow } from './schema.ts';
import type { Db } from './users.ts';
import { canonicalName } from '../../../core/src/names.ts';

/**
 * Owners and invitations only grow one accepted invitation at a time (and invitations are rate
 * limited), but a list answer is still bounded.
 */
export const MAX_LISTED = 1_000;

/**
 * The package row, locked until the transaction ends on PostgreSQL: owner changes and the publish
 * transaction take this lock before reading ownership, so they run one after the other (SQLite runs
 * every write transaction alone anyway). NO KEY: the versions' foreign keys hold KEY SHARE locks.
 */
export async function lockPackage(trx: Db, dialect: 'sqlite' | 'postgres', name: string): Promise<PackageRow | undefined> {
  const query = trx.selectFrom('packages').selectAll().where('canonical_name', '=', canonicalName(name));
  return dialect === 'postgres' ? query.forNoKeyUpdate().executeTakeFirst() : query.executeTakeFirst();
}

export interface OwnerEntry {
  username: string;
  since: string;
}

/** The owners of a package, the longest-standing first. */
export async function listOwners(db: Db, packageId: number): Promise<OwnerEntry[]> {
  const rows = await db
    .selectFrom('package_owners')
    .innerJoin('users', 'users.id', 'package_owners.user_id')
    .select(['users.username', 'package_owners.created_at'])
    .where('package_owners.package_id', '=', packageId)
    .orderBy('package_owners.created_at')
    .orderBy('users.username')
    .limit(MAX_LISTED)
    .execute();
  return rows.map((r) => ({ username: r.username, since: r.created_at }));
}

export async function countOwners(db: Db, packageId: number): Promise<number> {
  const row = await db
    .selectFrom('package_owners')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('package_id', '=', packageId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One invitation (pending or expired) of a user to a package. */
export async function findInvitation(db: Db, packageId: number, inviteeId: number) {
  return db
    .selectFrom('owner_invitations')
    .selectAll()
    .where('package_id', '=', packageId)
    .where('invitee_id', '=', inviteeId)
    .executeTakeFirst();
}

export interface InvitationEntry {
  package: string;
  invitee: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
}

/** Invitations still open at `now`, for one invitee or one package, oldest first. */
export async function pendingInvitations(
  db: Db,
  filter: { inviteeId?: number; packageId?: number; now: string },
): Promise<InvitationEntry[]> {
  let query = db
    .selectFrom('owner_invitations as i')
    .innerJoin('packages as p', 'p.id', 'i.package_id')
    .innerJoin('users as invitee', 'invitee.id', 'i.invitee_id')
    .innerJoin('users as inviter', 'inviter.id', 'i.inviter_id')
    .select(['p.name as package', 'invitee.username as invitee', 'inviter.username as invited_by', 'i.created_at', 'i.expires_at'])
    .where('i.expires_at', '>', filter.now);
  if (filter.inviteeId !== undefined) query = query.where('i.invitee_id', '=', filter.inviteeId);
  if (filter.packageId !== undefined) query = query.where('i.package_id', '=', filter.packageId);
  return query.orderBy('i.created_at').orderBy('i.id').limit(MAX_LISTED).execute();
}

/**
 * Names reserved by an admin: no new package may take one (compared by canonical name, like package
 * names) until an admin releases it. Existing packages are never affected: lock those instead.
 */
import { badRequest, conflict, forbidden, notFound, validationError } from '../../../core/src/errors.ts';
import { canonicalName, parsePackageName } from '../../../core/src/names.ts';
import { findPackage } from '../db/packages.ts';
import type { ReservedNamesTable } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import { lifecycleTextProblem } from '../../../core/src/lifecycle-rules.ts';
import type { Actor } from './publisher.ts';

export type Reservation = Omit<ReservedNamesTable, 'canonical_name'>;

interface Deps {
  db: { kysely: Db };
  now: () => Date;
}

/** A name from the URL that a package could have; any other is a 400 saying why. */
function validName(input: string): string {
  const parsed = parsePackageName(input);
  if (!parsed.ok) throw badRequest('invalid_package_name', `${parsed.message}; only a valid package name can be reserved`);
  return parsed.value;
}

/** A free-text reason: optional, printable, at most LIFECYCLE_MESSAGE_MAX characters. */
export function optionalReason(reason: string | undefined): string | null {
  const text = reason?.trim() ?? '';
  const problem = lifecycleTextProblem('reason', text);
  if (problem) throw validationError([{ field: 'reason', message: problem }], problem);
  return text === '' ? null : text;
}

/**
 * Reserves a name, or changes the reason of its reservation. Audited when something changed;
 * `created` says whether the reservation is new.
 */
export async function reserveName(deps: Deps, actor: Actor, input: string, reasonInput?: string) {
  const name = validName(input);
  const reason = optionalReason(reasonInput);
  const now = deps.now().toISOString();
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await findPackage(trx, name);
    if (pkg) {
      throw conflict(
        'package_exists',
        `${pkg.name} is already a package, so reserving its name changes nothing; lock it instead (PUT /api/v1/admin/packages/${pkg.name}/lock)`,
      );
    }
    const row = { canonical_name: canonicalName(name), name, reason, reserved_by: actor.username, created_at: now };
    const inserted = await trx
      .insertInto('reserved_names')
      .values(row)
      .onConflict((oc) => oc.column('canonical_name').doNothing())
      .returning('name')
      .executeTakeFirst();
    const changed = inserted
      ? true
      : (await trx
          .updateTable('reserved_names')
          .set({ reason })
          .where('canonical_name', '=', row.canonical_name)
          .where('reason', 'is distinct from', reason)
          .returning('name')
          .executeTakeFirst()) !== undefined;
    if (changed) await recordAudit(trx, { action: 'name_reserve', actor, details: { name, reason }, at: now });
    const saved = await trx
      .selectFrom('reserved_names')
      .select(['name', 'reason', 'reserved_by', 'created_at'])
      .where('canonical_name', '=', row.canonical_name)
      .executeTakeFirstOrThrow();
    return { reservation: saved, created: inserted !== undefined };
  });
}

/** Releases a reservation: the name may be published again. */
export async function releaseName(deps: Deps, actor: Actor, input: string): Promise<void> {
  const now = deps.now().toISOString();
  await deps.db.kysely.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('reserved_names')
      .where('canonical_name', '=', canonicalName(input))
      .returning(['name', 'reason'])
      .executeTakeFirst();
    if (!removed)
      throw notFound('reservation_not_found', `"${input}" is not reserved; GET /api/v1/admin/reserved-names lists the reserved names`);
    await recordAudit(trx, { action: 'name_release', actor, details: { name: removed.name, reason: removed.reason }, at: now });
  });
}

/** A page of reservations, by canonical name (the primary key's order). */
export async function listReservations(db: Db, page: { limit: number; offset: number }): Promise<{ total: number; items: Reservation[] }> {
  const [items, counted] = await Promise.all([
    db
      .selectFrom('reserved_names')
      .select(['name', 'reason', 'reserved_by', 'created_at'])
      .orderBy('canonical_name')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('reserved_names')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return { total: Number(counted?.n ?? 0), items };
}

/** Refuses a new package whose name an admin reserved (403 name_reserved, with the admins' reason). */
export async function checkNotReserved(db: Db, name: string): Promise<void> {
  const row = await db
    .selectFrom('reserved_names')
    .select(['name', 'reason'])
    .where('canonical_name', '=', canonicalName(name))
    .executeTakeFirst();
  if (!row) return;
  const why = row.reason ? ` (${row.reason})` : '';
  throw forbidden(
    'name_reserved',
    `The name "${name}" is reserved by the registry's admins${why}; choose another name, or ask an admin to release it`,
  );
}

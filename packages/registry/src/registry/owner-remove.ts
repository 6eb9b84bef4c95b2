import { conflict, notFound } from '../../../core/src/errors.ts';
import { isOwner } from '../db/packages.ts';
import { countOwners } from '../db/owners.ts';
import { findUserByUsername } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import { lockOwnedPackage, touchPackage, type OwnersDeps } from './owner-access.ts';
import type { Actor } from './publisher.ts';

const lastOwner = (username: string, name: string) =>
  conflict(
    'last_owner',
    `${username} is the only owner of ${name}, and a package always keeps one: add another owner first ` +
      `(synapse pkg owner add ${name} USERNAME), then remove ${username} once they have accepted`,
  );

/**
 * Removes an owner (possibly oneself) while another remains. The package row lock orders this after
 * any concurrent removal or publish; the DELETE is guarded by the count all the same. The invitations
 * the removed owner sent and nobody accepted yet are withdrawn with them.
 */
export async function removeOwner(deps: OwnersDeps, actor: Actor, request: { name: string; username: string }): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await lockOwnedPackage(trx, deps, actor, request.name, 'remove owners');
    const user = await findUserByUsername(trx, request.username);
    if (!user || !(await isOwner(trx, pkg.id, user.id))) {
      throw notFound('owner_not_found', `${pkg.name} has no owner named ${request.username}: see synapse pkg owner ls ${pkg.name}`);
    }
    if ((await countOwners(trx, pkg.id)) <= 1) throw lastOwner(user.username, pkg.name);
    const removed = await trx
      .deleteFrom('package_owners')
      .where('package_id', '=', pkg.id)
      .where('user_id', '=', user.id)
      .where((eb) =>
        eb(
          eb
            .selectFrom('package_owners as o')
            .select((e) => e.fn.countAll().as('n'))
            .where('o.package_id', '=', pkg.id),
          '>',
          1,
        ),
      )
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw lastOwner(user.username, pkg.name);
    const withdrawn = await trx
      .deleteFrom('owner_invitations')
      .where('package_id', '=', pkg.id)
      .where('inviter_id', '=', user.id)
      .executeTakeFirst();
    const at = deps.now().toISOString();
    await touchPackage(trx, pkg.id, at);
    await recordAudit(trx, {
      action: 'owner_remove',
      actor,
      subjectUserId: user.id,
      package: { id: pkg.id, name: pkg.name },
      details: { username: user.username, withdrawn_invitations: Number(withdrawn.numDeletedRows) },
      at,
    });
  });
}

import { notFound } from '../../../core/src/errors.ts';
import { recordAudit } from './audit.ts';
import { lockOwnedPackage, type OwnersDeps } from './owner-access.ts';
import type { Actor } from './publisher.ts';

/** An owner withdraws an open invitation to their package (an expired one counts as gone). */
export async function cancelInvitation(deps: OwnersDeps, actor: Actor, request: { name: string; username: string }): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await lockOwnedPackage(trx, deps, actor, request.name, 'withdraw its invitations');
    const at = deps.now().toISOString();
    const invitation = await trx
      .selectFrom('owner_invitations as i')
      .innerJoin('users as u', 'u.id', 'i.invitee_id')
      .select(['i.id', 'i.invitee_id', 'u.username'])
      .where('i.package_id', '=', pkg.id)
      .where('u.username', '=', request.username)
      .where('i.expires_at', '>', at)
      .executeTakeFirst();
    if (!invitation) {
      throw notFound(
        'invitation_not_found',
        `${pkg.name} has no open invitation for ${request.username}: see synapse pkg owner invitations ${pkg.name}`,
      );
    }
    await trx.deleteFrom('owner_invitations').where('id', '=', invitation.id).execute();
    await recordAudit(trx, {
      action: 'owner_invite_cancel',
      actor,
      subjectUserId: invitation.invitee_id,
      package: { id: pkg.id, name: pkg.name },
      details: { invitee: invitation.username },
      at,
    });
  });
}

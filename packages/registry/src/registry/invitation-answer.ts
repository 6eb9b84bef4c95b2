import { forbidden, notFound, RegistryError } from '../../../core/src/errors.ts';
import { findInvitation, lockPackage } from '../db/owners.ts';
import { recordAudit } from './audit.ts';
import { touchPackage, type OwnersDeps } from './owner-access.ts';
import type { Actor } from './publisher.ts';

/**
 * Accepts (the actor becomes an owner) or declines an invitation to a package. Either way the
 * invitation is used up. Acts on the actor's own account: a session, or a token with the "owners"
 * scope for that package.
 */
export async function answerInvitation(deps: OwnersDeps, actor: Actor, name: string, answer: 'accept' | 'decline'): Promise<string> {
  return deps.db.kysely.transaction().execute(async (trx) => {
    // Locked like every owner change, so an accept never interleaves with a removal's count.
    const pkg = await lockPackage(trx, deps.db.dialect, name);
    const missing = notFound(
      'invitation_not_found',
      `You have no invitation to ${pkg?.name ?? name}: ask one of its owners to invite you (synapse pkg owner add ${pkg?.name ?? name} ${actor.username})`,
    );
    if (!pkg) throw missing;
    if (!actor.allows('owners', pkg.name)) {
      throw forbidden(
        'token_scope',
        `This API token may not ${answer} invitations to ${pkg.name}: it needs the "owners" scope for that package (or log in)`,
      );
    }
    const invitation = await findInvitation(trx, pkg.id, actor.userId);
    if (!invitation) throw missing;
    const at = deps.now().toISOString();
    if (invitation.expires_at <= at) {
      throw new RegistryError(
        410,
        'invitation_expired',
        `Your invitation to ${pkg.name} expired at ${invitation.expires_at}: ask an owner to invite you again`,
      );
    }
    await trx.deleteFrom('owner_invitations').where('id', '=', invitation.id).execute();
    if (answer === 'accept') {
      await trx
        .insertInto('package_owners')
        .values({ package_id: pkg.id, user_id: actor.userId, created_at: at })
        .onConflict((oc) => oc.columns(['package_id', 'user_id']).doNothing())
        .execute();
      await touchPackage(trx, pkg.id, at);
    }
    await recordAudit(trx, {
      action: answer === 'accept' ? 'owner_accept' : 'owner_decline',
      actor,
      package: { id: pkg.id, name: pkg.name },
      details: { invited_by_id: invitation.inviter_id },
      at,
    });
    return pkg.name;
  });
}

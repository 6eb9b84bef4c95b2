import { badRequest, conflict, notFound } from '../../../core/src/errors.ts';
import { isOwner } from '../db/packages.ts';
import { findUserByUsername } from '../db/users.ts';
import type { ActionLimits } from './action-limits.ts';
import { recordAudit } from './audit.ts';
import { lockOwnedPackage, type OwnersDeps } from './owner-access.ts';
import type { Actor } from './publisher.ts';

/** How long an invitation stays open; after that the invitee must be invited again. */
export const INVITATION_TTL_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Invitation {
  package: string;
  invitee: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
}

/**
 * Invites a user to become an owner of a package. An open invitation is not renewed (409); an
 * expired one is replaced. The invitee becomes an owner only by accepting.
 */
export async function inviteOwner(
  deps: OwnersDeps & { actionLimits: ActionLimits },
  actor: Actor,
  request: { name: string; username: string },
): Promise<Invitation> {
  await deps.actionLimits.take('invitation', String(actor.userId));
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await lockOwnedPackage(trx, deps, actor, request.name, 'invite owners');
    const invitee = await findUserByUsername(trx, request.username);
    if (!invitee || invitee.is_active !== 1) {
      throw notFound('user_not_found', `No user named ${request.username}: check the spelling (they must have an account here)`);
    }
    if (invitee.id === actor.userId) {
      throw badRequest('cannot_invite_self', `You are already an owner of ${pkg.name}; invite another user`);
    }
    if (await isOwner(trx, pkg.id, invitee.id)) {
      throw conflict('already_owner', `${invitee.username} is already an owner of ${pkg.name}`);
    }
    const now = deps.now();
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS).toISOString();
    const values = { package_id: pkg.id, invitee_id: invitee.id, inviter_id: actor.userId, created_at: at, expires_at: expiresAt };
    // Only an expired invitation is overwritten: the WHERE keeps an open one (and its expiry) as it is.
    const stored = await trx
      .insertInto('owner_invitations')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['package_id', 'invitee_id'])
          .doUpdateSet({ inviter_id: actor.userId, created_at: at, expires_at: expiresAt })
          .where('owner_invitations.expires_at', '<=', at),
      )
      .returning('id')
      .executeTakeFirst();
    if (!stored) {
      throw conflict(
        'invitation_exists',
        `${invitee.username} already has an open invitation to ${pkg.name}; they can accept it with: synapse pkg invitations accept ${pkg.name}`,
      );
    }
    await recordAudit(trx, {
      action: 'owner_invite',
      actor,
      subjectUserId: invitee.id,
      package: { id: pkg.id, name: pkg.name },
      details: { invitee: invitee.username, expires_at: expiresAt },
      at,
    });
    return { package: pkg.name, invitee: invitee.username, invited_by: actor.username, created_at: at, expires_at: expiresAt };
  });
}

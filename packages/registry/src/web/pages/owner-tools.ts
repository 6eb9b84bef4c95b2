/**
 * The owner section of a package page, made per request (it depends on who is logged in; the rest of
 * the page is cached): nothing for visitors, the lists and forms for an owner.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOwner } from '../../db/packages.ts';
import { listOwners, pendingInvitations } from '../../db/owners.ts';
import type { PackageRow } from '../../db/schema.ts';
import { INVITATION_TTL_DAYS } from '../../registry/owner-invite.ts';
import type { LiveSession } from '../../server/authenticate.ts';
import type { AppDeps } from '../../server/deps.ts';
import { renderPartial } from '../render.ts';
import { csrfToken } from '../session.ts';

/** What the last owner form did, named in the redirect's query (`?owners=invited`). */
const NOTICES = {
  invited: 'The invitation was sent: they become an owner when they accept it from their account page.',
  removed: 'The owner was removed.',
  left: 'You are no longer an owner of this package.',
  withdrawn: 'The invitation was withdrawn.',
  accepted: 'You are now an owner of this package.',
} as const;

export type OwnerNotice = keyof typeof NOTICES;

export interface OwnerToolsOptions {
  pkg: PackageRow;
  session: LiveSession | null;
  /** The `owners` query parameter after a redirect. */
  notice?: unknown;
  /** A refused owner form's message. */
  error?: string;
}

export async function ownerToolsHtml(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OwnerToolsOptions,
): Promise<string> {
  const { pkg, session, error } = options;
  if (!session) return '';
  const notice =
    typeof options.notice === 'string' && Object.hasOwn(NOTICES, options.notice) ? NOTICES[options.notice as OwnerNotice] : undefined;
  const db = deps.db.kysely;
  const owner = await isOwner(db, pkg.id, session.userId);
  if (!owner && !notice && !error) return '';
  const common = { name: pkg.name, me: session.username, notice, error, csrf: csrfToken(deps, request, reply) };
  if (!owner) return renderPartial('owner-tools', { ...common, owners: null });
  const [owners, invitations] = await Promise.all([
    listOwners(db, pkg.id),
    pendingInvitations(db, { packageId: pkg.id, now: deps.now().toISOString() }),
  ]);
  return renderPartial('owner-tools', { ...common, owners, invitations, ttlDays: INVITATION_TTL_DAYS });
}

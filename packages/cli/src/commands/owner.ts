import type { Context } from '../context.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

interface Owners {
  name: string;
  owners: { username: string; since: string }[];
}

interface Invitation {
  package: string;
  invitee: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
}

/** The owners of a package, and since when (public). */
export async function ownerList(ctx: Context, name: string): Promise<CommandOutput> {
  const answer = await apiRequest<Owners>(ctx, { path: `/packages/${seg(name)}/owners` });
  const rows = answer.owners.map((o) => `${o.username.padEnd(24)} since ${o.since}`);
  return output(answer, [`Owners of ${answer.name}:`, ...rows].join('\n'));
}

/** Invites a user to become an owner; they become one when they accept. */
export async function ownerAdd(ctx: Context, name: string, username: string): Promise<CommandOutput> {
  const sent = await apiRequest<Invitation>(ctx, {
    path: `/packages/${seg(name)}/owners/invitations`,
    json: { username },
    auth: 'required',
  });
  return output(
    sent,
    [
      `Invited ${sent.invitee} to become an owner of ${sent.package}; the invitation expires ${sent.expires_at}.`,
      `They become an owner once they run: synapse pkg invitations accept ${sent.package}`,
    ].join('\n'),
  );
}

/** Removes an owner (possibly yourself) while another remains. */
export async function ownerRemove(ctx: Context, name: string, username: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'DELETE', path: `/packages/${seg(name)}/owners/${seg(username)}`, auth: 'required' });
  return output({ name, username, removed: true }, `Removed ${username} from the owners of ${name}`);
}

/** A package's open invitations (owners only). */
export async function ownerInvitations(ctx: Context, name: string): Promise<CommandOutput> {
  const answer = await apiRequest<{ invitations: Invitation[] }>(ctx, {
    path: `/packages/${seg(name)}/owners/invitations`,
    auth: 'required',
  });
  const rows = answer.invitations.map((i) => `${i.invitee.padEnd(24)} invited by ${i.invited_by.padEnd(20)} expires ${i.expires_at}`);
  return output(answer, rows.length === 0 ? `No open invitations to ${name}` : rows.join('\n'));
}

/** Withdraws an open invitation. */
export async function ownerCancel(ctx: Context, name: string, username: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'DELETE', path: `/packages/${seg(name)}/owners/invitations/${seg(username)}`, auth: 'required' });
  return output({ name, username, cancelled: true }, `Withdrew the invitation of ${username} to ${name}`);
}

import type { Context } from '../context.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

interface Invitation {
  package: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
}

/** Your open invitations to become an owner. */
export async function invitationList(ctx: Context): Promise<CommandOutput> {
  const answer = await apiRequest<{ invitations: Invitation[] }>(ctx, { path: '/auth/invitations', auth: 'required' });
  const rows = answer.invitations.map((i) => `${i.package.padEnd(32)} from ${i.invited_by.padEnd(20)} expires ${i.expires_at}`);
  const text =
    rows.length === 0
      ? 'No open invitations'
      : [...rows, 'Accept one with: synapse pkg invitations accept NAME (or decline NAME)'].join('\n');
  return output(answer, text);
}

/** Accepts an invitation: you become an owner of the package. */
export async function invitationAccept(ctx: Context, name: string): Promise<CommandOutput> {
  const answer = await apiRequest<{ name: string; owners: { username: string }[] }>(ctx, {
    method: 'POST',
    path: `/auth/invitations/${seg(name)}/accept`,
    auth: 'required',
  });
  return output(answer, `You are now an owner of ${answer.name} (owners: ${answer.owners.map((o) => o.username).join(', ')})`);
}

/** Declines an invitation. */
export async function invitationDecline(ctx: Context, name: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'POST', path: `/auth/invitations/${seg(name)}/decline`, auth: 'required' });
  return output({ name, declined: true }, `Declined the invitation to ${name}`);
}

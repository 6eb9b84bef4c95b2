/** Who may publish: owner and invitations. */
import type { Command } from 'commander';
import { action } from '../run.ts';

export function ownerCommands(pkg: Command): void {
  const owner = pkg.command('owner').description('see and change who may publish a package');
  action(owner.command('ls <name>').alias('list').description('list the owners of a package and since when'), async (ctx, name: string) =>
    (await import('../commands/owner.ts')).ownerList(ctx, name),
  );
  action(
    owner.command('add <name> <username>').description('invite a user to become an owner (they accept within 30 days)'),
    async (ctx, name: string, username: string) => (await import('../commands/owner.ts')).ownerAdd(ctx, name, username),
  );
  action(
    owner.command('rm <name> <username>').alias('remove').description('remove an owner (yourself included); a package keeps at least one'),
    async (ctx, name: string, username: string) => (await import('../commands/owner.ts')).ownerRemove(ctx, name, username),
  );
  action(
    owner.command('invitations <name>').description("list a package's open owner invitations (owners only)"),
    async (ctx, name: string) => (await import('../commands/owner.ts')).ownerInvitations(ctx, name),
  );
  action(
    owner.command('cancel <name> <username>').description('withdraw an open invitation to USERNAME'),
    async (ctx, name: string, username: string) => (await import('../commands/owner.ts')).ownerCancel(ctx, name, username),
  );

  const invitations = pkg.command('invitations').description('list your invitations to become an owner; accept or decline them');
  action(invitations, async (ctx) => (await import('../commands/invitations.ts')).invitationList(ctx));
  action(invitations.command('accept <name>').description('accept an invitation: you become an owner of NAME'), async (ctx, name: string) =>
    (await import('../commands/invitations.ts')).invitationAccept(ctx, name),
  );
  action(invitations.command('decline <name>').description('decline an invitation to NAME'), async (ctx, name: string) =>
    (await import('../commands/invitations.ts')).invitationDecline(ctx, name),
  );
}

/** The account commands: register, login, logout, whoami, token. */
import type { Command } from 'commander';
import { action } from '../run.ts';

export function accountCommands(pkg: Command): void {
  action(
    pkg
      .command('register')
      .alias('signup')
      .description('create an account on the registry, then log in (the password is asked twice, hidden)')
      .option('-u, --username <name>', 'user name (asked on a terminal otherwise)')
      .option('--email <address>', 'email address (asked on a terminal otherwise)')
      .option('--password-stdin', 'read the password from stdin'),
    async (ctx, options: import('../commands/register.ts').RegisterOptions) =>
      (await import('../commands/register.ts')).register(ctx, options),
  );

  action(
    pkg
      .command('login')
      .description('log in and keep the token for this registry')
      .option('-u, --username <name>', 'user name (asked on a terminal otherwise)')
      .option('--password-stdin', 'read the password from stdin')
      .option('--token <token>', 'store this API token instead of logging in with a password')
      .option('--token-stdin', 'read an API token from stdin'),
    async (ctx, options: import('../commands/login.ts').LoginOptions) => (await import('../commands/login.ts')).login(ctx, options),
  );

  action(pkg.command('logout').description('forget the stored token for this registry'), async (ctx) =>
    (await import('../commands/logout.ts')).logout(ctx),
  );

  action(pkg.command('whoami').description('show who the registry thinks you are'), async (ctx) =>
    (await import('../commands/whoami.ts')).whoami(ctx),
  );

  const token = pkg.command('token').description('manage API tokens (for CI: set SYNAPSE_TOKEN)');
  action(
    token
      .command('create <name>')
      .description('create an API token; the secret is shown once')
      .option('--scope <scope...>', 'any of publish, delete, yank (also deprecation), owners, dist-tags, webhooks (default: publish)')
      .option('--package <name...>', 'limit the token to these packages')
      .option('--expires-in-days <days>', 'lifetime in days'),
    async (ctx, name: string, options: import('../commands/token.ts').TokenCreateOptions) =>
      (await import('../commands/token.ts')).tokenCreate(ctx, name, options),
  );
  action(token.command('list').description('list your API tokens'), async (ctx) => (await import('../commands/token.ts')).tokenList(ctx));
  action(token.command('revoke <id>').description('revoke an API token at once'), async (ctx, id: string) =>
    (await import('../commands/token.ts')).tokenRevoke(ctx, id),
  );
}
